-- Uploads refused by moderation, per UTC day (issue 17, item 7's report): by an address block (name: its range), by
-- a hash list (name: the list), or by a ban of the content (name: 'banned hashes'). Counted in memory on the
-- request path and added here every janitor tick, so a flood of refused uploads costs no write per request.
create table upload_refusal_day (
    day      date         not null,
    kind     varchar(20)  not null,
    name     varchar(120) not null,
    refused  bigint       not null,
    primary key (day, kind, name)
);
