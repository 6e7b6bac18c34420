-- Indexes for the admin's file search (pomf.admin), which pages lazily over millions of stored files and uploads.
--
-- Every sort has an index that ends in a unique column, so a page is an index range and ties never reorder between
-- pages: created (the existing created_at index is replaced by created_at, id), size, and the stored name's own
-- unique index.
create index stored_file_created_at_id_idx on stored_file (created_at, id);
drop index stored_file_created_at_idx;
create index stored_file_size_id_idx on stored_file (size, id);

-- Prefix searches (stored name, SHA-1 / SHA-256 hex prefix) with LIKE 'abc%': pattern_ops indexes serve them under
-- any database collation, where the plain indexes serve them only under "C".
create index stored_file_name_pattern_idx on stored_file (name varchar_pattern_ops);
create index stored_file_sha1_pattern_idx on stored_file (sha1 bpchar_pattern_ops);
create index stored_file_sha256_pattern_idx on stored_file (sha256 bpchar_pattern_ops);
drop index stored_file_sha1_idx;

-- Case-insensitive "contains" on original names: trigram GIN index (pg_trgm is a trusted extension since
-- PostgreSQL 13, so the database owner may create it without superuser rights).
create extension if not exists pg_trgm;
create index upload_original_name_trgm_idx on upload using gin (lower(original_name) gin_trgm_ops);

-- Uploader address, one address or a range (203.0.113.0/24), compared as inet so that the spellings of one IPv6
-- address match. The column is text because a forwarded hop may be a name; pomf_inet gives null for anything that
-- is not an address, where a plain cast would fail the whole query. A btree serves both = and <<= (PostgreSQL turns
-- "<<= constant" into a range of the index).
create function pomf_inet(address text) returns inet
language plpgsql immutable strict as $$
begin
    return address::inet;
exception when invalid_text_representation then
    return null;
end $$;
create index upload_uploader_inet_idx on upload (pomf_inet(uploader_address));
