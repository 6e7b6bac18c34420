-- A witness that checks the bytes (issue 17, item 6): besides HTTPS, ping and SSH, a check fetches a small canary
-- file through each node and compares its SHA-256 with the registry's. A node serving other bytes fails it with the
-- outcome 'wrong_content', a strike like any other failed check.
-- The check constraints on check_kind and outcome were named by PostgreSQL when V4 made the table partitioned (with a
-- suffix, the unpartitioned table's names being taken then): they are found by what they check, not by name.
do $$
declare
    c record;
begin
    for c in select conname from pg_constraint
             where conrelid = 'check_result'::regclass and contype = 'c'
               and (pg_get_constraintdef(oid) like '%check_kind%' or pg_get_constraintdef(oid) like '%outcome%') loop
        execute format('alter table check_result drop constraint %I', c.conname);
    end loop;
end $$;
alter table check_result add constraint check_result_check_kind
    check (check_kind in ('https', 'ping', 'ssh', 'canary'));
alter table check_result add constraint check_result_outcome
    check (outcome in ('ok', 'refused', 'timeout', 'tls_error', 'unreachable', 'bad_answer', 'local_error',
                       'not_checked', 'wrong_content'));
