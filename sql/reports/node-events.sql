-- title: Kills and revivals
-- Every kill, refused kill, revival and maintenance of a node, with its reason and who did it (the witness or an
-- operator). For a kill, dead_minutes is how long the node stayed out of DNS: until its next revival, maintenance
-- or removal, whenever that came (empty while it is still dead). Refused kills (kill_refused) are the witness
-- holding back because too many nodes were dead already or the node was its record's last.
-- param: from timestamptz = now() - interval '30 days'
-- param: to timestamptz = now()
-- chart: bar x=at y=dead_minutes series=node
select e.at,
       e.node_name as node,
       e.kind,
       e.reason,
       e.actor,
       case when e.kind = 'kill' then
           (select round((extract(epoch from min(b.at) - e.at) / 60)::numeric, 1)
            from node_event b
            where b.node_name = e.node_name
              and b.kind in ('revive', 'maintenance', 'remove')
              and (b.at, b.id) > (e.at, e.id))
       end as dead_minutes
from node_event e
where e.at >= :'from'::timestamptz
  and e.at < :'to'::timestamptz
  and e.kind in ('kill', 'kill_refused', 'revive', 'maintenance')
order by e.at, e.id;
