-- title: Uploads and storage per day
-- Per UTC day: uploads, the new contents they brought (new_files, new_bytes: storage growth), the uploads of
-- content already stored (dedup_uploads: stored once, so bytes_saved is the disk they did not take), and
-- stored_bytes, the size of everything stored at the end of the day. Counts read the registry as it is now:
-- deleted and expired files no longer count, on any day. An upload is a dedup when it came after its content was
-- first stored (by time, then by id for the uploads of one request). Every day of the period is listed; from and to
-- are days, both included.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: line x=day y=stored_bytes
with days as (
    select d::date as day
    from generate_series(:'from'::date, :'to'::date, interval '1 day') d
), flagged as (
    -- A dedup: after its content was first stored, or in the same request as the first upload but not the first
    -- (same time, higher id). Uploads at the time of first storage all lie in the period with it, so a window over
    -- the period's uploads sees them all (one pass; no lookup per upload).
    select u.created_at::date as day,
           f.size,
           u.created_at > f.created_at or u.id > min(u.id) over (partition by u.file_id, u.created_at) as dedup
    from upload u
    join stored_file f on f.id = u.file_id
    where u.created_at >= :'from'::date
      and u.created_at < :'to'::date + 1
), uploads as (
    select day,
           count(*) as uploads,
           count(*) filter (where dedup) as dedup_uploads,
           coalesce(sum(size) filter (where dedup), 0) as bytes_saved
    from flagged
    group by day
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
