-- title: Top files by bytes served
-- The files that cost the most transit in the period, over every instance (edges and origin): requests and bytes
-- served, with the stored file's size, type, number of uploads and the name it was first uploaded under. A file
-- deleted since has no size, type or name any more (its traffic stays on record). Ties go by stored name.
-- param: from timestamptz = now() - interval '7 days'
-- param: to timestamptz = now()
-- param: limit integer = 20
-- chart: bar x=file_name y=bytes_sent
with served as (
    select h.file_name, sum(h.requests) as requests, sum(h.bytes_sent) as bytes_sent
    from file_traffic_hour h
    where h.hour >= :'from'::timestamptz
      and h.hour < :'to'::timestamptz
    group by h.file_name
    order by bytes_sent desc, h.file_name
    limit :'limit'::integer
)
select row_number() over (order by s.bytes_sent desc, s.file_name) as rank,
       s.file_name,
       u.original_name,
       f.content_type,
       f.size,
       coalesce(u.uploads, 0) as uploads,
       s.requests,
       s.bytes_sent
from served s
left join stored_file f on f.name = s.file_name
left join lateral (
    select count(*) as uploads, (array_agg(up.original_name order by up.created_at, up.id))[1] as original_name
    from upload up
    where up.file_id = f.id
) u on true
order by rank;
