-- title: Uploads and storage per day
-- Per UTC day: uploads, the new contents they brought (new_files, new_bytes: storage growth), the uploads of
-- content already stored (dedup_uploads: stored once, so bytes_saved is the disk they did not take), and
-- stored_bytes, the size of everything stored at the end of the day. Counts read the registry as it is now:
-- deleted and expired files no longer count, on any day. An upload is a dedup when an earlier upload of the same
-- content exists (by time, then by id for uploads in one request). Every day of the period is listed; from and to
-- are days, both included.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: line x=day y=stored_bytes
with days as (
    select d::date as day
    from generate_series(:'from'::date, :'to'::date, interval '1 day') d
), uploads as (
    select u.created_at::date as day,
           count(*) as uploads,
           count(*) filter (where dedup) as dedup_uploads,
           coalesce(sum(f.size) filter (where dedup), 0) as bytes_saved
    from upload u
    join stored_file f on f.id = u.file_id
    cross join lateral (
        select case when u.created_at > f.created_at then true
                    else exists (select 1 from upload p where p.file_id = u.file_id and p.id < u.id
                                 and p.created_at <= u.created_at)
               end as dedup
    ) x
    where u.created_at >= :'from'::date
      and u.created_at < :'to'::date + 1
    group by 1
), growth as (
    select f.created_at::date as day, count(*) as new_files, sum(f.size) as new_bytes
    from stored_file f
    where f.created_at >= :'from'::date
      and f.created_at < :'to'::date + 1
    group by 1
), before as (
    select coalesce(sum(f.size), 0) as bytes
    from stored_file f
    where f.created_at < :'from'::date
)
select d.day,
       coalesce(u.uploads, 0) as uploads,
       coalesce(g.new_files, 0) as new_files,
       coalesce(g.new_bytes, 0) as new_bytes,
       coalesce(u.dedup_uploads, 0) as dedup_uploads,
       coalesce(u.bytes_saved, 0) as bytes_saved,
       (b.bytes + sum(coalesce(g.new_bytes, 0)) over (order by d.day))::bigint as stored_bytes
from days d
cross join before b
left join uploads u on u.day = d.day
left join growth g on g.day = d.day
order by d.day;
