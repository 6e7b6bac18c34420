-- 1,000,000 stored files and 1,200,000 uploads for timing the admin's file search (run.sh). Purpose: figures for
-- the files page over a registry of realistic size. Parameters: none; run on an empty, migrated database:
--   psql -d bench -f generate.sql
\timing on
insert into stored_file (name, sha1, sha256, size, content_type, created_at)
select 'n' || lpad(to_hex(g), 7, '0') || '.bin',
       encode(sha224(int8send(g)), 'hex')::char(40),
       encode(sha256(int8send(g)), 'hex'),
       (g::bigint * 7919) % 50000000,
       case g % 3 when 0 then 'image/png' when 1 then 'text/plain' else 'application/octet-stream' end,
       timestamp '2023-01-01' + (g * interval '30 seconds')
from generate_series(1, 1000000) g;
insert into upload (file_id, original_name, delete_token_hash, uploader_address, created_at, expires_at)
select f.id, 'holiday photo ' || f.id || case f.id % 5 when 0 then '.png' when 1 then ' report.pdf' else '.txt' end,
       encode(sha256(int8send(f.id) || '\x01'::bytea), 'hex'),
       '198.51.' || (f.id % 256) || '.' || (f.id / 256 % 256),
       f.created_at, null
from stored_file f;
insert into upload (file_id, original_name, delete_token_hash, uploader_address, created_at, expires_at)
select f.id, 'copy of ' || f.id || '.bin', encode(sha256(int8send(f.id) || '\x02'::bytea), 'hex'),
       '2001:db8::' || to_hex(f.id % 65536), f.created_at + interval '1 day', null
from stored_file f where (f.id / 50) % 5 = 0;
analyze;
