-- title: Strikes per node per hour
-- Ticks in which a node failed a check (seen by enough witnesses), counted per node and UTC hour, with the reasons
-- given. A node collecting strikes is on its way to being killed (pomf.witness.strikes within the window); strikes
-- spread over many nodes in the same hour point at the network or the witness rather than at the nodes.
-- Only hours with at least one strike are listed.
-- param: from timestamptz = now() - interval '2 days'
-- param: to timestamptz = now()
-- chart: bar x=hour y=strikes series=node
select date_trunc('hour', s.tick, 'UTC') as hour,
       n.name as node,
       count(*) as strikes,
       string_agg(distinct s.reasons, ' | ' order by s.reasons) as reasons
from strike s
join node n on n.id = s.node_id
where s.tick >= :'from'::timestamptz
  and s.tick < :'to'::timestamptz
group by 1, 2
order by 1, 2;
