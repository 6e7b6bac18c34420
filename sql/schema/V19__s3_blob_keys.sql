-- Where a blob in a bucket is when it is not at its content key (issue 16). A large upload streams into a multipart
-- upload whose key is fixed before its hash is known; copying the completed object to blobs/ab/cd/<sha256> made the
-- store read and write every byte once more. Instead the object stays at its random key data/<random>, mapped here
-- in the publishing transaction, under the content's lock. A blob without a row is at its content key (small
-- uploads, finished resumable uploads, the move command, everything from before this version). A data/ object no
-- row maps is a crashed or superseded upload's, removed once older than pomf.storage.s3.stale-after.
create table s3_blob (
    sha256     char(64)    primary key,
    object_key text        not null unique check (object_key ~ '^data/[0-9a-f]{32}$'),
    created_at timestamptz not null default now()
);
