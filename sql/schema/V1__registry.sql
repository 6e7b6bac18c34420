-- The file registry: one row per distinct content (stored once, by SHA-256), one row per upload of it.
-- A stored file lives while at least one upload claims it; deleting or expiring the last upload removes it.

create table stored_file (
    id            bigserial    primary key,
    name          varchar(40)  not null,
    sha1          char(40)     not null,
    sha256        char(64)     not null,
    size          bigint       not null check (size >= 0),
    content_type  varchar(255) not null,
    created_at    timestamp    not null,
    constraint stored_file_name_key unique (name),
    constraint stored_file_sha256_key unique (sha256)
);
create index stored_file_sha1_idx on stored_file (sha1);
create index stored_file_created_at_idx on stored_file (created_at);

create table upload (
    id                 bigserial     primary key,
    file_id            bigint        not null references stored_file (id) on delete cascade,
    original_name      varchar(1024) not null,
    delete_token_hash  char(64)      not null,
    uploader_address   varchar(64),
    created_at         timestamp     not null,
    expires_at         timestamp,
    constraint upload_delete_token_hash_key unique (delete_token_hash)
);
create index upload_file_id_idx on upload (file_id);
create index upload_expires_at_idx on upload (expires_at) where expires_at is not null;
create index upload_created_at_idx on upload (created_at);

-- Content hashes refused at upload (SHA-1 or SHA-256 hex), besides those in configuration.
create table banned_hash (
    hash        varchar(64)   primary key,
    reason      varchar(1024),
    created_at  timestamp     not null
);
