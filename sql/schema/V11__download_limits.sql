-- Download limits (issue 17, item 5): an upload may say how many times its link may be downloaded (the form field
-- max_downloads, or tus metadata). The origin counts each download of such a link in the same statement that allows
-- it (downloads < max_downloads), so the count is exact; edges never cache these links and send their clients to the
-- origin. A link whose downloads are used up refuses further downloads (404) at once, and the janitor removes it a
-- grace period later (pomf.upload.download-limit-grace: the last download's further ranges are still served).
alter table stored_file add column max_downloads integer check (max_downloads > 0);
alter table stored_file add column downloads bigint not null default 0;
alter table stored_file add column downloads_used_up_at timestamp;
create index stored_file_downloads_used_up_idx on stored_file (downloads_used_up_at)
    where downloads_used_up_at is not null;
