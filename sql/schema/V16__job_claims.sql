-- Work that several origins on one database must do once per interval (issue 16): the expiry sweep, the orphan-blob
-- sweep, the MD5 sweep, traffic partitions. Every origin's timer still fires; an origin does the work only when one
-- statement (jobs.control.JobsSql.claim) takes the job's row: no other origin holds a live lease on it, and its last
-- start is an interval ago (or its last run failed). The lease covers a crash: once it has run out, another origin
-- takes the job over. Times are the database's, so the origins' clocks need not agree.
create table job_run (
    name          text        primary key check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    owner         text        not null,               -- host-pid-random of the origin that claimed it last
    claimed_until timestamptz,                        -- the lease's end; null once released by its end
    last_started  timestamptz not null,
    last_finished timestamptz,
    last_error    text                                -- the last run's failure; null when it went well
);
