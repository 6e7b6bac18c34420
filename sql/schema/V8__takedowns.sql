-- Takedowns that hold (issue 17, item 1). A link whose content is banned stays in the registry, quarantined: the
-- origin answers it 451 Unavailable For Legal Reasons, the edges drop it and answer 451 without asking again, and
-- lifting the ban brings back every link that was not deleted. banned mirrors banned_hash for the link's SHA-256 or
-- SHA-1 (set by the ban and its lifting, repaired by the janitor); banned_changed_at is when it last flipped, which
-- the edges read to catch up on takedowns they missed (a purge that never reached a stopped or cut-off edge).
alter table stored_file add column banned boolean not null default false;
alter table stored_file add column banned_changed_at timestamp;
update stored_file f set banned = true, banned_changed_at = now() at time zone 'utc'
    where exists (select 1 from banned_hash b where b.hash in (f.sha256, f.sha1));
create index stored_file_banned_changed_idx on stored_file (banned_changed_at) where banned_changed_at is not null;
