-- Known data for ReportsIT: two watched nodes, an origin, a few hours of January 2026. Each block says what the
-- reports must make of it; the expected rows in ReportsIT are worked out by hand from these comments.
select pomf_ensure_month_partitions(t, date '2025-12-01', 2)
from unnest(array['traffic_minute', 'file_traffic_hour', 'check_result']) t;

insert into node (id, name, address, check_url, record) values
    (1, 'edge-a', '192.0.2.1', 'https://192.0.2.1/health/ready', 'files.example.test'),
    (2, 'edge-b', '192.0.2.2', 'https://192.0.2.2/health/ready', 'files.example.test');

-- Strikes: edge-a twice in the 10:00 hour and once at 11:30, edge-b once at 10:59; the one on Jan 2 is outside
-- [Jan 1, Jan 2).
insert into strike (node_id, tick, reasons) values
    (1, '2026-01-01 10:00:00+00', 'https: timeout'),
    (1, '2026-01-01 10:01:00+00', 'https: timeout'),
    (1, '2026-01-01 11:30:00+00', 'ping: timeout'),
    (2, '2026-01-01 10:59:00+00', 'ssh: refused'),
    (1, '2026-01-02 00:00:00+00', 'https: timeout');

-- Events: the add is not a kill or revival; edge-a is dead 10:05-10:35 (30.0 min); edge-b's kill has no revival.
insert into node_event (node_name, kind, reason, actor, at) values
    ('edge-a', 'add', 'added by hand', 'admin', '2026-01-01 09:00:00+00'),
    ('edge-a', 'kill', '4 strikes in 60 min', 'witness w1', '2026-01-01 10:05:00+00'),
    ('edge-a', 'revive', 'revived by hand', 'admin', '2026-01-01 10:35:00+00'),
    ('edge-b', 'kill_refused', 'max-dead reached', 'witness w1', '2026-01-01 11:00:00+00'),
    ('edge-b', 'kill', '4 strikes in 60 min', 'witness w1', '2026-01-01 12:00:00+00'),
    ('edge-a', 'kill', 'later', 'witness w1', '2026-01-02 01:00:00+00'),
    ('edge-a', 'revive', 'later', 'admin', '2026-01-02 02:00:00+00');

-- Checks. Jan 1: edge-a 3 ok + 1 timeout (+1 local_error, not judged) = 75.00 %; edge-b 2 ok = 100.00 %.
-- Jan 2: edge-a 1 refused = 0.00 %. Jan 3 lies outside [Jan 1, Jan 2].
insert into check_result (tick, witness, node_id, check_kind, outcome, latency_ms) values
    ('2026-01-01 10:00:00+00', 'w1', 1, 'https', 'ok', 12),
    ('2026-01-01 10:00:00+00', 'w1', 1, 'ping', 'ok', 1),
    ('2026-01-01 10:00:00+00', 'w1', 1, 'ssh', 'ok', 5),
    ('2026-01-01 10:01:00+00', 'w1', 1, 'https', 'timeout', 5000),
    ('2026-01-01 10:01:00+00', 'w1', 1, 'ping', 'local_error', 0),
    ('2026-01-01 10:00:00+00', 'w1', 2, 'https', 'ok', 10),
    ('2026-01-01 10:00:00+00', 'w1', 2, 'ping', 'ok', 1),
    ('2026-01-02 00:00:00+00', 'w1', 1, 'https', 'refused', 1),
    ('2026-01-03 00:00:00+00', 'w1', 2, 'ping', 'ok', 1);

-- Traffic, Jan 1-2. Hour 10 of edge-a: 150 requests, 10,500,000 bytes = 0.023 Mbit/s on average; its busiest minute
-- 7,500,000 bytes = 1.000 Mbit/s. Cache on Jan 1: 120 of 150 lookups from disk = 0.8000; 2,100,000 of 11,250,000
-- bytes from the origin = offload 0.8133.
insert into traffic_minute (node, role, minute, requests, bytes_sent, status_2xx, status_3xx, status_4xx, status_5xx,
                            hits, misses, stale, revalidated, bytes_from_origin) values
    ('edge-a', 'edge', '2026-01-01 10:00:00+00', 100, 7500000, 90, 0, 10, 0, 60, 20, 5, 5, 1500000),
    ('edge-a', 'edge', '2026-01-01 10:30:00+00', 50, 3000000, 50, 0, 0, 0, 40, 10, 0, 0, 600000),
    ('edge-a', 'edge', '2026-01-01 11:00:00+00', 10, 750000, 10, 0, 0, 0, 10, 0, 0, 0, 0),
    ('origin-1', 'origin', '2026-01-01 10:00:00+00', 20, 2100000, 19, 0, 0, 1, 0, 0, 0, 0, 0),
    ('edge-b', 'edge', '2026-01-02 00:00:00+00', 4, 400, 4, 0, 0, 0, 0, 4, 0, 0, 400);

-- The p95 day, Jan 3 (288 five-minute buckets).
-- edge-p sends only in the first 20 buckets: bucket i (0..19) carries 375,000 * (i + 1) bytes, i.e.
-- 375,000 * 8 / 300 * (i + 1) = 10,000 * (i + 1) bit/s. Sorted, the samples are 268 zeros, then 10k, 20k, ... 200k.
-- Nearest rank ceil(0.95 * 288) = 274 is the 6th non-zero sample: 60,000 bit/s = 0.060 Mbit/s (the 14 discarded
-- are 70k..200k). Ranking only its 20 busy buckets would give rank ceil(0.95 * 20) = 19: 190k, three times more.
-- Bytes: 375,000 * (1 + ... + 20) = 78,750,000; average 78,750,000 * 8 / 86400 = 7,292 bit/s = 0.007 Mbit/s.
insert into traffic_minute (node, role, minute, requests, bytes_sent, status_2xx)
select 'edge-p', 'edge', timestamptz '2026-01-03 00:00:00+00' + i * interval '5 minutes', 1, 375000 * (i + 1), 1
from generate_series(0, 19) i;
-- edge-q sends 750,000 bytes every minute (100,000 bit/s per bucket) plus 30,000,000 more in the first minute of
-- buckets 0..13: those 14 buckets reach (3,750,000 + 30,000,000) * 8 / 300 = 900,000 bit/s. Exactly the 14 highest
-- are discarded, so p95 = 0.100 Mbit/s, max 0.900. Bytes: 1440 * 750,000 + 14 * 30,000,000 = 1,500,000,000;
-- average 1.5e9 * 8 / 86400 = 138,889 bit/s = 0.139 Mbit/s.
insert into traffic_minute (node, role, minute, requests, bytes_sent, status_2xx)
select 'edge-q', 'edge', timestamptz '2026-01-03 00:00:00+00' + m * interval '1 minute', 1,
       750000 + case when m % 5 = 0 and m < 70 then 30000000 else 0 end, 1
from generate_series(0, 1439) m;

-- Registry (timestamps are UTC). aaaa.png was first stored Dec 31 and uploaded again Jan 1 and Jan 2 (dedups);
-- dddd.zip came twice in one request (same time: the second, higher id, is the dedup).
-- Jan 1: 4 uploads, new bbbb.txt + dddd.zip = 5,010 bytes, 2 dedups saving 1,000 + 5,000; stored 1,000 + 5,010.
-- Jan 2: 2 uploads, new eeee.gif = 300 bytes, 1 dedup saving 1,000; stored 6,310.
insert into stored_file (id, name, sha1, sha256, size, content_type, created_at) values
    (1, 'aaaa.png', lpad('1', 40, '0'), lpad('1', 64, '0'), 1000, 'image/png', '2025-12-31 10:00:00'),
    (2, 'bbbb.txt', lpad('2', 40, '0'), lpad('2', 64, '0'), 10, 'text/plain', '2026-01-01 09:00:00'),
    (3, 'dddd.zip', lpad('3', 40, '0'), lpad('3', 64, '0'), 5000, 'application/zip', '2026-01-01 12:00:00'),
    (4, 'eeee.gif', lpad('4', 40, '0'), lpad('4', 64, '0'), 300, 'image/gif', '2026-01-02 08:00:00'),
    -- Since every upload has its own link: dddd.zip's bytes uploaded again get a link of their own.
    (5, 'ffff.zip', lpad('3', 40, '0'), lpad('3', 64, '0'), 5000, 'application/zip', '2026-01-02 10:00:00');
insert into upload (id, file_id, original_name, delete_token_hash, created_at) values
    (1, 1, 'cat.png', lpad('1', 64, 'f'), '2025-12-31 10:00:00'),
    (2, 1, 'kitten.png', lpad('2', 64, 'f'), '2026-01-01 11:00:00'),
    (3, 2, 'notes.txt', lpad('3', 64, 'f'), '2026-01-01 09:00:00'),
    (4, 3, 'backup.zip', lpad('4', 64, 'f'), '2026-01-01 12:00:00'),
    (5, 3, 'backup copy.zip', lpad('5', 64, 'f'), '2026-01-01 12:00:00'),
    (6, 4, 'anim.gif', lpad('6', 64, 'f'), '2026-01-02 08:00:00'),
    (7, 1, 'cat (1).png', lpad('7', 64, 'f'), '2026-01-02 09:00:00'),
    (8, 5, 'zip again.zip', lpad('8', 64, 'f'), '2026-01-02 10:00:00');

-- Bytes served on Jan 1: aaaa.png 8,000 (two edges), cccc.bin 4,000 (deleted: no registry row), bbbb.txt 1,000;
-- bbbb.txt's 10,000 on Jan 2 are outside [Jan 1, Jan 2).
insert into file_traffic_hour (file_name, node, hour, requests, bytes_sent) values
    ('aaaa.png', 'edge-a', '2026-01-01 10:00:00+00', 5, 5000),
    ('aaaa.png', 'edge-b', '2026-01-01 10:00:00+00', 3, 3000),
    ('bbbb.txt', 'edge-a', '2026-01-01 11:00:00+00', 100, 1000),
    ('cccc.bin', 'edge-a', '2026-01-01 10:00:00+00', 1, 4000),
    ('bbbb.txt', 'edge-a', '2026-01-02 00:00:00+00', 1, 10000);

-- DNS: the removal confirmed after 42.5 s, the re-add still pending after 3 attempts.
insert into dns_change (record, address, action, state, reason, attempts, last_error, created_at, confirmed_at) values
    ('files.example.test', '192.0.2.1', 'remove', 'confirmed', 'edge-a killed', 1, '',
     '2026-01-01 10:05:00+00', '2026-01-01 10:05:42.5+00'),
    ('files.example.test', '192.0.2.1', 'add', 'pending', 'edge-a revived', 3, 'timeout',
     '2026-01-01 10:35:00+00', null);

-- Moderation. Jan 1: 3 reports and 1 hash-list match arrive; 2 items close on Jan 1 after 1 h and 3 h (median 2.00,
-- longest 3.00), 1 on Jan 2 after 24 h 30 min (24.50); one stays open. Take-downs: 1 on Jan 1 (with its ban), and a
-- ban from the Files page on Jan 2.
insert into review_item (stored_name, sha256, source, category, reason, created_at, resolved_at, resolved_by,
                         resolution) values
    ('aaaa.png', lpad('1', 64, 'a'), 'report', 'copyright', 'mine', '2026-01-01 08:00:00', '2026-01-01 09:00:00',
     'alice', 'taken down'),
    ('aaaa.png', lpad('1', 64, 'a'), 'report', 'illegal', '', '2026-01-01 08:00:00', '2026-01-01 11:00:00', 'alice',
     'taken down'),
    ('bbbb.txt', lpad('2', 64, 'a'), 'report', 'spam', '', '2026-01-01 12:00:00', '2026-01-02 12:30:00', 'bob',
     'reviewed'),
    ('dddd.zip', lpad('3', 64, 'a'), 'hash list ncmec', 'hash_list', 'matches its md5', '2026-01-01 13:00:00', null,
     null, null);
insert into admin_action (actor, action, target, detail, at) values
    ('alice', 'file.ban', 'aaaa.png', 'from the queue', '2026-01-01 11:00:00+00'),
    ('alice', 'review.takedown', '1', 'aaaa.png', '2026-01-01 11:00:00+00'),
    ('bob', 'file.ban', 'bbbb.txt', 'from the Files page', '2026-01-02 09:00:00+00');

-- Refused uploads: Jan 1 a blocked range (12) and a hash list (3); Jan 2 a ban (1); Jan 3 is outside [Jan 1, Jan 2].
insert into upload_refusal_day (day, kind, name, refused) values
    ('2026-01-01', 'block', '203.0.113.0/24', 12),
    ('2026-01-01', 'hash_list', 'ncmec', 3),
    ('2026-01-02', 'ban', 'banned hashes', 1),
    ('2026-01-03', 'block', '203.0.113.0/24', 5);
