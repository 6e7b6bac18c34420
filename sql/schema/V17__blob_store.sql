-- Where the registry's blobs are (issue 16): the storage folder or a bucket. One row, written by the first start of
-- a service of this version (what its pomf.storage.kind says: an existing installation is where it has been
-- running), and afterwards only by the move command (storage.boundary.MoveBlobs) once every blob of the registry is
-- copied and verified. A service whose pomf.storage.kind differs refuses to start while the registry has rows.
create table blob_store (
    id           boolean     primary key default true check (id),
    kind         text        not null check (kind in ('folder', 's3')),
    bucket       text        check ((kind = 's3') = (bucket is not null)),
    recorded_at  timestamptz not null default now(),
    -- When the move command switched to this kind (null: recorded at a start).
    switched_at  timestamptz
);

-- The move in progress: one row per blob of the registry the command has dealt with for its target ('s3:<bucket>' or
-- 'folder:<absolute folder>'): copied and verified (problem null), or not copied because the source is missing or
-- its bytes do not hash to the name. A run skips the verified ones (a re-run after an interruption) and tries the
-- problems again; the switch empties the table.
create table blob_move (
    target       text        not null,
    sha256       char(64)    not null,
    size         bigint      not null,
    problem      text        check (problem in ('missing', 'corrupt')),
    at           timestamptz not null default now(),
    primary key (target, sha256)
);
