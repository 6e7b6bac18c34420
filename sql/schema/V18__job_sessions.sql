-- A claimed job is held by a PostgreSQL advisory lock of the claiming origin's database session (issue 16), no longer
-- by a lease in the row: the lock ends with the session, so an origin that dies (kill -9, a crash, an undeploy) lets
-- the others take the job at once instead of after a lease. The row keeps the spacing of starts and the history;
-- running_since says which owner runs it now (null once it ended).
alter table job_run rename column claimed_until to running_since;
