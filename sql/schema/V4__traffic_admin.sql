-- Traffic records, monthly partitions with retention, and the admin's accounts and audit trail.
--
-- Large append-only tables (traffic_minute, file_traffic_hour, check_result) are partitioned by month so that
-- retention drops whole partitions (instant, no vacuum) instead of deleting rows. Partitions are created ahead by
-- the application (pomf_ensure_month_partitions) and dropped by it (pomf_drop_month_partitions); both functions
-- can be called by hand with psql as well. There is deliberately no default partition: a row for a month with no
-- partition fails loudly instead of landing where retention never reaches it.

-- The partition of <parent> for the month holding <month>, named <parent>_YYYY_MM; created when absent. Months are
-- UTC months whatever the session's time zone.
create function pomf_ensure_month_partition(parent text, month date) returns text
language plpgsql as $$
declare
    first date := date_trunc('month', month)::date;
    child text := format('%s_%s', parent, to_char(first, 'YYYY_MM'));
begin
    if to_regclass(child) is null then
        execute format('create table if not exists %I partition of %I for values from (%L) to (%L)',
                       child, parent, first::timestamp at time zone 'UTC',
                       (first + interval '1 month')::timestamp at time zone 'UTC');
    end if;
    return child;
end $$;

-- Partitions of <parent> for <months> months from the month holding <from_month> on.
create function pomf_ensure_month_partitions(parent text, from_month date, months integer) returns void
language plpgsql as $$
begin
    for i in 0 .. greatest(months, 1) - 1 loop
        perform pomf_ensure_month_partition(parent, (date_trunc('month', from_month) + make_interval(months => i))::date);
    end loop;
end $$;

-- Drops the partitions of <parent> whose whole month lies before <before_month>; returns their names.
create function pomf_drop_month_partitions(parent text, before_month date) returns setof text
language plpgsql as $$
declare
    child text;
begin
    for child in
        select c.relname::text
        from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        where i.inhparent = to_regclass(parent)
          and c.relname ~ ('^' || parent || '_[0-9]{4}_[0-9]{2}$')
          and to_date(right(c.relname, 7), 'YYYY_MM') < date_trunc('month', before_month)::date
        order by c.relname
    loop
        execute format('drop table %I', child);
        return next child;
    end loop;
end $$;

-- Per-minute aggregates per instance and role, written in batches (never a row per request). An instance that
-- restarts mid-minute adds to its minute's row rather than replacing it.
create table traffic_minute (
    node               text        not null,
    role               text        not null check (role in ('origin', 'edge')),
    minute             timestamptz not null check (extract(epoch from minute)::bigint % 60 = 0),
    requests           bigint      not null default 0,
    bytes_sent         bigint      not null default 0,
    status_2xx         bigint      not null default 0,
    status_3xx         bigint      not null default 0,
    status_4xx         bigint      not null default 0,
    status_5xx         bigint      not null default 0,
    -- Edges only (zero at the origin): answers by cache status and the bytes fetched from the origin.
    hits               bigint      not null default 0,
    misses             bigint      not null default 0,
    stale              bigint      not null default 0,
    revalidated        bigint      not null default 0,
    bytes_from_origin  bigint      not null default 0,
    primary key (node, role, minute)
) partition by range (minute);
create index traffic_minute_minute on traffic_minute (minute);

-- Bytes served per stored file per hour and instance: what "top files" reports read. The name is the stored name
-- (no foreign key: the traffic of a deleted file stays on record).
create table file_traffic_hour (
    file_name   text        not null,
    node        text        not null,
    hour        timestamptz not null check (extract(epoch from hour)::bigint % 3600 = 0),
    requests    bigint      not null default 0,
    bytes_sent  bigint      not null default 0,
    primary key (file_name, node, hour)
) partition by range (hour);
create index file_traffic_hour_hour on file_traffic_hour (hour);

-- Batches already written, by the id their instance gave them: a batch retried after a lost answer is not counted
-- twice. Rows older than the retention of the traffic tables are deleted with them.
create table traffic_batch (
    node         text        not null,
    batch_id     uuid        not null,
    received_at  timestamptz not null default now(),
    primary key (node, batch_id)
);
create index traffic_batch_received_at on traffic_batch (received_at);

-- check_result becomes partitioned by month (it grows by three rows per node per tick per witness).
alter table check_result rename to check_result_unpartitioned;
alter index check_result_node_tick rename to check_result_unpartitioned_node_tick;
alter index check_result_tick rename to check_result_unpartitioned_tick;
create table check_result (
    tick        timestamptz not null,
    witness     text        not null,
    node_id     bigint      not null references node (id) on delete cascade,
    check_kind  text        not null check (check_kind in ('https', 'ping', 'ssh')),
    outcome     text        not null check (outcome in
                    ('ok', 'refused', 'timeout', 'tls_error', 'unreachable', 'bad_answer', 'local_error',
                     'not_checked')),
    latency_ms  integer     not null,
    detail      text        not null default '',
    checked_at  timestamptz not null default now()
) partition by range (tick);
create index check_result_node_tick on check_result (node_id, tick);
create index check_result_tick on check_result (tick);

do $$
declare
    m date;
begin
    for m in select distinct date_trunc('month', tick)::date from check_result_unpartitioned loop
        perform pomf_ensure_month_partition('check_result', m);
    end loop;
    perform pomf_ensure_month_partitions('check_result', current_date, 3);
    perform pomf_ensure_month_partitions('traffic_minute', current_date, 3);
    perform pomf_ensure_month_partitions('file_traffic_hour', current_date, 3);
end $$;
insert into check_result select * from check_result_unpartitioned;
drop table check_result_unpartitioned;

-- Administrators. Passwords are PBKDF2 hashes in Jakarta Security's Pbkdf2PasswordHash format
-- (algorithm:iterations:salt:hash, Base64); failed logins lock the account for a growing while.
create table admin_account (
    id             bigint generated by default as identity primary key,
    username       text        not null unique check (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
    password_hash  text        not null,
    created_at     timestamptz not null default now(),
    last_login_at  timestamptz,
    failed_logins  integer     not null default 0,
    locked_until   timestamptz
);

-- Every state-changing administrative action, by whom (an account name, or "api-token"), from where, on what.
create table admin_action (
    id       bigint generated always as identity primary key,
    actor    text        not null,
    address  text        not null default '',
    action   text        not null,
    target   text        not null default '',
    detail   text        not null default '',
    at       timestamptz not null default now()
);
create index admin_action_at on admin_action (at);
