-- title: Traffic per node per hour
-- Requests and bytes each instance sent per UTC hour, by role (an edge's bytes reach users; the origin's mostly
-- feed the edges' misses), with the answers by status class. avg_mbit_s spreads the hour's bytes over 3600 s;
-- peak_minute_mbit_s is the busiest minute's rate (Mbit = 10^6 bits). Hours without traffic are not listed.
-- param: from timestamptz = now() - interval '2 days'
-- param: to timestamptz = now()
-- chart: line x=hour y=avg_mbit_s series=node
select date_trunc('hour', t.minute, 'UTC') as hour,
       t.node,
       t.role,
       sum(t.requests) as requests,
       sum(t.bytes_sent) as bytes_sent,
       round(sum(t.bytes_sent) * 8 / 3600.0 / 1e6, 3) as avg_mbit_s,
       round(max(t.bytes_sent) * 8 / 60.0 / 1e6, 3) as peak_minute_mbit_s,
       sum(t.status_2xx) as status_2xx,
       sum(t.status_3xx) as status_3xx,
       sum(t.status_4xx) as status_4xx,
       sum(t.status_5xx) as status_5xx
from traffic_minute t
where t.minute >= :'from'::timestamptz
  and t.minute < :'to'::timestamptz
group by 1, 2, 3
order by 1, 2, 3;
