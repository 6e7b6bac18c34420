-- title: Moderation per day
-- Per UTC day: what entered the review queue (reports from the public, and links a hash list matched), the items
-- closed that day and how long they had waited (median and longest, in hours: the handling time), the take-downs
-- made from the queue, and every content ban (from the queue or the Files page). Every day of the period is listed;
-- from and to are days, both included. review_item times are UTC.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: bar x=day y=reports,closed
with days as (
    select d::date as day
    from generate_series(:'from'::date, :'to'::date, interval '1 day') d
), received as (
    select created_at::date as day,
           count(*) filter (where source = 'report') as reports,
           count(*) filter (where source <> 'report') as list_matches
    from review_item
    where created_at >= :'from'::date and created_at < :'to'::date + 1
    group by 1
), closed as (
    select resolved_at::date as day,
           count(*) as closed,
           round((percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at))
                  / 3600)::numeric, 2) as median_hours,
           round((max(extract(epoch from resolved_at - created_at)) / 3600)::numeric, 2) as longest_hours
    from review_item
    where resolved_at >= :'from'::date and resolved_at < :'to'::date + 1
    group by 1
), actions as (
    select (at at time zone 'UTC')::date as day,
           count(*) filter (where action = 'review.takedown') as takedowns,
           count(*) filter (where action = 'file.ban') as bans
    from admin_action
    where at >= :'from'::date::timestamp at time zone 'UTC'
      and at < (:'to'::date + 1)::timestamp at time zone 'UTC'
      and action in ('review.takedown', 'file.ban')
    group by 1
)
select d.day,
       coalesce(r.reports, 0) as reports,
       coalesce(r.list_matches, 0) as list_matches,
       coalesce(c.closed, 0) as closed,
       c.median_hours,
       c.longest_hours,
       coalesce(a.takedowns, 0) as takedowns,
       coalesce(a.bans, 0) as bans
from days d
left join received r on r.day = d.day
left join closed c on c.day = d.day
left join actions a on a.day = d.day
order by d.day;
