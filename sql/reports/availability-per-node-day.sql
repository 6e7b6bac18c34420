-- title: Availability per node per day
-- The share of checks (HTTPS, ping and SSH, by every witness) that came back clean, per node and UTC day: what the
-- nodes' users saw, as far as the witnesses can tell. Checks that judge the witness rather than the node
-- (local_error: the witness's own network failed; not_checked) are left out of the share and counted as unjudged.
-- availability_pct = 100 * clean / checks, rounded to two places; from and to are days, both included.
-- param: from date = current_date - 6
-- param: to date = current_date
-- chart: line x=day y=availability_pct series=node
select (c.tick at time zone 'UTC')::date as day,
       n.name as node,
       count(*) filter (where c.outcome not in ('local_error', 'not_checked')) as checks,
       count(*) filter (where c.outcome = 'ok') as clean,
       count(*) filter (where c.outcome not in ('ok', 'local_error', 'not_checked')) as failed,
       count(*) filter (where c.outcome in ('local_error', 'not_checked')) as unjudged,
       round(100.0 * count(*) filter (where c.outcome = 'ok')
             / nullif(count(*) filter (where c.outcome not in ('local_error', 'not_checked')), 0), 2)
           as availability_pct
from check_result c
join node n on n.id = c.node_id
where c.tick >= :'from'::date::timestamp at time zone 'UTC'
  and c.tick < (:'to'::date + 1)::timestamp at time zone 'UTC'
group by 1, 2
order by 1, 2;
