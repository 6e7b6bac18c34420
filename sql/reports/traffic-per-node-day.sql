-- title: Traffic per node per day
-- Requests and bytes each instance sent per UTC day, by role, with the answers by status class; avg_mbit_s spreads
-- the day's bytes over 86400 s (Mbit = 10^6 bits). From and to are days, both included; days without traffic are
-- not listed. For what transit costs, see bandwidth-p95-per-node-day.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: bar x=day y=bytes_sent series=node
select (t.minute at time zone 'UTC')::date as day,
       t.node,
       t.role,
       sum(t.requests) as requests,
       sum(t.bytes_sent) as bytes_sent,
       round(sum(t.bytes_sent) * 8 / 86400.0 / 1e6, 3) as avg_mbit_s,
       sum(t.status_2xx) as status_2xx,
       sum(t.status_3xx) as status_3xx,
       sum(t.status_4xx) as status_4xx,
       sum(t.status_5xx) as status_5xx
from traffic_minute t
where t.minute >= :'from'::date::timestamp at time zone 'UTC'
  and t.minute < (:'to'::date + 1)::timestamp at time zone 'UTC'
group by 1, 2, 3
order by 1, 2, 3;
