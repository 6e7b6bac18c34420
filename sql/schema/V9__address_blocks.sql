-- Address blocks (issue 17, item 4): uploads from these addresses or ranges (IPv4 and IPv6, stored as canonical
-- CIDR text) are refused before any byte is stored, until expires_at (null: until the block is removed). Each origin
-- keeps the blocks in memory and reads them again every few seconds, so several origins agree within that time.
create table address_block (
    id          bigserial    primary key,
    cidr        varchar(50)  not null,
    reason      varchar(500) not null,
    created_by  varchar(200) not null,
    created_at  timestamp    not null,
    expires_at  timestamp
);
create index address_block_expires_idx on address_block (expires_at);
