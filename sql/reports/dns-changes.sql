-- title: DNS changes
-- What the witness asked DNS to change (remove a killed node's address, add a revived one), and how it went:
-- state (pending, applied, confirmed by reading the record back, or superseded by a newer change), attempts, the
-- last error, and seconds_to_confirm from the change being decided to the record reading back right: how long
-- users could still be sent to a dead node, give or take the record's TTL.
-- param: from timestamptz = now() - interval '7 days'
-- param: to timestamptz = now()
-- chart: bar x=created_at y=seconds_to_confirm series=address
select c.created_at,
       c.record,
       c.address,
       c.action,
       c.state,
       c.reason,
       c.attempts,
       round(extract(epoch from c.confirmed_at - c.created_at)::numeric, 1) as seconds_to_confirm,
       c.last_error
from dns_change c
where c.created_at >= :'from'::timestamptz
  and c.created_at < :'to'::timestamptz
order by c.created_at, c.id;
