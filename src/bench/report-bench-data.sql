-- report-bench-data.sql: deterministic data for src/bench/report-bench.sh (no random(): every run is the same).
-- October 2026 (30 days, 2026-10-01 to 2026-10-30 UTC) for the traffic, checks and events; the registry spans
-- September and October so "stored before the period" is not empty.
--   stored_file 1,000,000 rows; upload 1,200,000 (every file once, 200,000 re-uploads of stored content: dedup);
--   traffic_minute: 30 days of minutes for origin-1 (origin) and edge-1..3 (edge), 172,800 rows, a daily wave;
--   file_traffic_hour: per hour and instance the 300 most asked files, requests ~ 1000 / rank (Zipf, s = 1), the
--   popular set drifting by 3 ranks a day: 864,000 rows;
--   check_result: 4 nodes x 3 checks per minute (518,400 rows), a rare scattered failure and a 30-minute outage of
--   edge-2; strikes from the failed ticks; kills, revivals and DNS changes around them.
select pomf_ensure_month_partitions(t, date '2026-09-01', 3)
from unnest(array['traffic_minute', 'file_traffic_hour', 'check_result']) t;

insert into stored_file (id, name, sha1, sha256, size, content_type, created_at)
select i,
       'f' || lpad(i::text, 7, '0') || '.bin',
       substr(md5(i::text) || md5('s' || i), 1, 40),
       md5(i::text) || md5('s' || i),
       1000 + (i::bigint * 7919) % 5000000,
       (array['image/png', 'image/jpeg', 'video/mp4', 'application/zip', 'text/plain'])[1 + i % 5],
       timestamp '2026-09-01' + (i - 1) * interval '5.184 seconds'
from generate_series(1, 1000000) i;

insert into upload (file_id, original_name, delete_token_hash, uploader_address, created_at)
select i, 'upload-' || i || '.bin', md5('u' || i) || md5('v' || i), '198.51.100.' || (i % 250),
       timestamp '2026-09-01' + (i - 1) * interval '5.184 seconds'
from generate_series(1, 1000000) i;

insert into upload (file_id, original_name, delete_token_hash, uploader_address, created_at)
select x.f, 'again-' || j || '.bin', md5('d' || j) || md5('e' || j), '203.0.113.' || (j % 250),
       timestamp '2026-09-01' + (x.f - 1) * interval '5.184 seconds' + (1 + j % 1440) * interval '1 minute'
from generate_series(1, 200000) j
cross join lateral (select 1 + (j::bigint * 104729) % 1000000 as f) x;

insert into traffic_minute (node, role, minute, requests, bytes_sent, status_2xx, status_3xx, status_4xx, status_5xx,
                            hits, misses, stale, revalidated, bytes_from_origin)
select n.node, n.role, m.minute,
       r.requests, r.requests * 250000,
       r.requests - r.requests / 50 - r.requests / 100, 0, r.requests / 50, r.requests / 100,
       case when n.role = 'edge' then r.requests * 80 / 100 else 0 end,
       case when n.role = 'edge' then r.requests * 12 / 100 else 0 end,
       case when n.role = 'edge' then r.requests * 3 / 100 else 0 end,
       case when n.role = 'edge' then r.requests - r.requests * 80 / 100 - r.requests * 12 / 100 - r.requests * 3 / 100
            else 0 end,
       case when n.role = 'edge' then r.requests * 250000 * 12 / 100 else 0 end
from (values ('origin-1', 'origin', 1), ('edge-1', 'edge', 2), ('edge-2', 'edge', 3), ('edge-3', 'edge', 4))
         n(node, role, k)
cross join generate_series(timestamptz '2026-10-01 00:00+00', timestamptz '2026-10-30 23:59+00', interval '1 minute')
         m(minute)
cross join lateral (
    select ((200 + 800 * (0.5 + 0.5 * sin(2 * pi() * (extract(epoch from m.minute)::bigint % 86400) / 86400.0))
             + ((extract(epoch from m.minute)::bigint / 60 * 7919 + n.k * 104729) % 100))
            / case when n.role = 'origin' then 8 else 1 end)::bigint as requests
) r;

insert into file_traffic_hour (file_name, node, hour, requests, bytes_sent)
select 'f' || lpad(q.f::text, 7, '0') || '.bin', n.node, h.hour, q.requests,
       q.requests * (1000 + (q.f * 7919) % 5000000)
from generate_series(timestamptz '2026-10-01 00:00+00', timestamptz '2026-10-30 23:00+00', interval '1 hour') h(hour)
cross join (values ('origin-1', 8), ('edge-1', 1), ('edge-2', 1), ('edge-3', 1)) n(node, share)
cross join generate_series(1, 300) r
cross join lateral (
    select 1 + ((r + extract(epoch from h.hour)::bigint / 86400 * 3) * 7919) % 1000000 as f,
           greatest(1, 1000 / r / n.share) as requests
) q;

insert into node (id, name, address, check_url, record) values
    (1, 'origin-1', '192.0.2.10', 'https://192.0.2.10/health/ready', 'files.example.test'),
    (2, 'edge-1', '192.0.2.11', 'https://192.0.2.11/health/ready', 'files.example.test'),
    (3, 'edge-2', '192.0.2.12', 'https://192.0.2.12/health/ready', 'files.example.test'),
    (4, 'edge-3', '192.0.2.13', 'https://192.0.2.13/health/ready', 'files.example.test');

insert into check_result (tick, witness, node_id, check_kind, outcome, latency_ms, checked_at)
select t.tick, 'witness-1', n.id, c.kind,
       case when (extract(epoch from t.tick)::bigint / 60 * 31 + n.id * 17 + c.k) % 499 = 0
                 or (n.id = 3 and t.tick >= '2026-10-10 14:00+00' and t.tick < '2026-10-10 14:30+00')
            then 'timeout' else 'ok' end,
       5 + (extract(epoch from t.tick)::bigint / 60 + n.id * 7 + c.k) % 40,
       t.tick + interval '2 seconds'
from generate_series(timestamptz '2026-10-01 00:00+00', timestamptz '2026-10-30 23:59+00', interval '1 minute') t(tick)
cross join generate_series(1, 4) n(id)
cross join (values ('https', 0), ('ping', 1), ('ssh', 2)) c(kind, k);

insert into strike (node_id, tick, reasons)
select node_id, tick, string_agg(check_kind || ': ' || outcome, ', ' order by check_kind)
from check_result
where outcome <> 'ok'
group by node_id, tick;

-- edge-2's outage: killed after its fourth strike, revived by hand; and a maintenance window every third day.
insert into node_event (node_id, node_name, kind, reason, actor, at)
select 3, 'edge-2', e.kind, e.reason, e.actor, e.at
from (values ('kill', '4 strikes in 60 min', 'witness-1', timestamptz '2026-10-10 14:03+00'),
             ('revive', 'revived by hand', 'admin', timestamptz '2026-10-10 14:45+00')) e(kind, reason, actor, at)
union all
select 2 + d % 3, 'edge-' || (1 + d % 3), e.kind, 'planned maintenance', 'admin',
       timestamptz '2026-10-01 03:00+00' + d * interval '1 day' + e.off
from generate_series(0, 29, 3) d
cross join (values ('maintenance', interval '0'), ('revive', interval '20 minutes')) e(kind, off);

insert into dns_change (node_id, record, address, action, state, reason, attempts, created_at, confirmed_at)
select e.node_id, 'files.example.test', n.address, case when e.kind = 'revive' then 'add' else 'remove' end,
       'confirmed', e.node_name || ' ' || e.kind, 1, e.at, e.at + (10 + e.id % 50) * interval '1 second'
from node_event e
join node n on n.id = e.node_id;
