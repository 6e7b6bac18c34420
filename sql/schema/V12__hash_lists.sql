-- Hash lists (issue 17, item 2): lists of SHA-256, SHA-1 or MD5 hashes imported by the admins (a list name, a reason,
-- the hashes). An upload whose bytes match any entry is refused with 451, as a banned hash is; links already stored
-- that match are quarantined (451 at the origin and every edge) and put in the review queue.
-- MD5 is computed in the same pass as the other hashes from now on; links stored before have none (null), and MD5
-- entries cannot match them.
alter table stored_file add column md5 char(32);
create index stored_file_md5_idx on stored_file (md5) where md5 is not null;

create table hash_list (
    id          bigserial     primary key,
    name        varchar(100)  not null unique,
    reason      varchar(500)  not null,
    created_by  varchar(200)  not null,
    created_at  timestamp     not null,
    updated_at  timestamp     not null,
    entries     integer       not null default 0
);

-- One row per hash and list: the primary key is also the lookup of an upload's three hashes.
create table hash_list_entry (
    hash     varchar(64) not null,
    list_id  bigint      not null references hash_list (id) on delete cascade,
    primary key (hash, list_id)
);
create index hash_list_entry_list_idx on hash_list_entry (list_id);

-- The review queue: links that need an admin's look (quarantined by a hash list; reports from the public later).
create table review_item (
    id           bigserial     primary key,
    stored_name  varchar(40)   not null,
    sha256       char(64)      not null,
    source       varchar(120)  not null,
    reason       varchar(1000) not null,
    created_at   timestamp     not null,
    resolved_at  timestamp,
    resolved_by  varchar(200),
    resolution   varchar(200)
);
create index review_item_open_idx on review_item (created_at) where resolved_at is null;
