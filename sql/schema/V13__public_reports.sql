-- Reports from the public (issue 17, item 3): anyone may report a file from /report (its URL, a reason, optional
-- details and contact), limited per address. Reports land in the review queue beside hash-list matches; the admin
-- sees them newest first, most reported first, or by reason, and one action takes the content down everywhere.
alter table review_item add column category varchar(30) not null default 'hash_list';
alter table review_item add column contact varchar(200);
alter table review_item add column reporter_address varchar(64);
create index review_item_open_name_idx on review_item (stored_name) where resolved_at is null;
create index review_item_open_sha256_idx on review_item (sha256) where resolved_at is null;
