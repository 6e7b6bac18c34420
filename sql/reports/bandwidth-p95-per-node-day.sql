-- title: 95th-percentile bandwidth per node per day
-- What burstable transit bills: the 95th percentile of a node's outgoing rate, here per UTC day. Definition:
-- the day is cut into 288 five-minute buckets aligned on UTC (00:00, 00:05, ...); a bucket's sample is the bytes
-- the node sent in it (its per-minute rows summed, every role of the node together, since they leave by the same
-- port) times 8 divided by 300 s, in bits/s. The 288 samples are sorted ascending and the one at nearest rank
-- ceil(0.95 * 288) = 274 is billed: the 14 highest samples (the top 5%, rounded down) are discarded and the
-- highest remaining one is the figure.
-- A bucket without any row counts as a sample of 0 bits/s. That is deliberate: a node idle half the day has 144
-- zero samples, which push its percentile down as they do on the provider's meter; ranking only the buckets with
-- traffic would bill it as if it had been busy all day. For the same reason the current day, whose later buckets
-- have not happened yet, only grows until it ends. Nodes are those with any traffic in the period; each gets a row
-- for every day of it. p95/max/avg in Mbit/s (10^6 bits/s), rounded to three places; from and to are days,
-- both included.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: line x=day y=p95_mbit_s series=node
with period as (
    select :'from'::date::timestamp at time zone 'UTC' as lo,
           (:'to'::date + 1)::timestamp at time zone 'UTC' as hi
), buckets as (
    select t.node,
           to_timestamp(floor(extract(epoch from t.minute) / 300) * 300) as bucket,
           sum(t.bytes_sent) as bytes
    from traffic_minute t, period p
    where t.minute >= p.lo and t.minute < p.hi
    group by 1, 2
), samples as (
    select n.node, g.bucket, coalesce(b.bytes, 0) as bytes, coalesce(b.bytes, 0) * 8 / 300.0 as bits_per_second
    from (select distinct node from buckets) n
    cross join period p
    cross join lateral generate_series(p.lo, p.hi - interval '5 minutes', interval '5 minutes') g(bucket)
    left join buckets b on b.node = n.node and b.bucket = g.bucket
)
select (s.bucket at time zone 'UTC')::date as day,
       s.node,
       round(percentile_disc(0.95) within group (order by s.bits_per_second) / 1e6, 3) as p95_mbit_s,
       round(max(s.bits_per_second) / 1e6, 3) as max_mbit_s,
       round(sum(s.bytes) * 8 / 86400.0 / 1e6, 3) as avg_mbit_s,
       count(*) filter (where s.bytes > 0) as active_buckets,
       sum(s.bytes) as bytes_sent
from samples s
group by 1, 2
order by 1, 2;
