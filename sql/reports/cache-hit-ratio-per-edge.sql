-- title: Cache hit ratio per edge
-- How well each edge's cache spares the origin, per UTC day. hit_ratio = (hits + stale + revalidated) / (hits +
-- misses + stale + revalidated): the share of cache lookups whose body came from the edge's disk (a stale answer
-- and a revalidated one both do; a miss fetched it from the origin). origin_offload = 1 - bytes_from_origin /
-- bytes_sent: the share of bytes served that did not cross from the origin. Both rounded to four places, empty
-- when there is nothing to divide by. From and to are days, both included.
-- param: from date = current_date - 6
-- param: to date = current_date
-- chart: line x=day y=hit_ratio series=node
select (t.minute at time zone 'UTC')::date as day,
       t.node,
       sum(t.requests) as requests,
       sum(t.hits) as hits,
       sum(t.misses) as misses,
       sum(t.stale) as stale,
       sum(t.revalidated) as revalidated,
       round(sum(t.hits + t.stale + t.revalidated)::numeric
             / nullif(sum(t.hits + t.misses + t.stale + t.revalidated), 0), 4) as hit_ratio,
       sum(t.bytes_sent) as bytes_sent,
       sum(t.bytes_from_origin) as bytes_from_origin,
       round(1 - sum(t.bytes_from_origin)::numeric / nullif(sum(t.bytes_sent), 0), 4) as origin_offload
from traffic_minute t
where t.role = 'edge'
  and t.minute >= :'from'::date::timestamp at time zone 'UTC'
  and t.minute < (:'to'::date + 1)::timestamp at time zone 'UTC'
group by 1, 2
order by 1, 2;
