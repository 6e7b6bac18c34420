-- title: Uploads and storage per day
-- Per UTC day: uploads, the new contents they brought (new_files, new_bytes: storage growth), the uploads of
-- content already stored (dedup_uploads: stored once, so bytes_saved is the disk they did not take), and
-- stored_bytes, the size of everything stored at the end of the day. Counts read the registry as it is now:
-- deleted and expired files no longer count, on any day. Every upload has its own link (stored_file row) since V7,
-- and links of the same bytes share one blob: a content is new with its first link (by time, then by id); an
-- upload is a dedup when its link is not its content's first, or when it came later to a link shared by several
-- uploads (made before V7: by time, then by id for the uploads of one request). Every day of the period is listed;
-- from and to are days, both included.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: line x=day y=stored_bytes
with days as (
    select d::date as day
    from generate_series(:'from'::date, :'to'::date, interval '1 day') d
), contents as (
    -- The first link of each content stands for it: when it was first stored, and its size.
    select distinct on (f.sha256) f.id, f.size, f.created_at
    from stored_file f
    order by f.sha256, f.created_at, f.id
), flagged as (
    -- Uploads of a shared link at the time of its first storage all lie in the period with it, so a window over
    -- the period's uploads sees them all (one pass; no lookup per upload).
    select u.created_at::date as day,
           f.size,
           not exists (select 1 from contents c where c.id = f.id)
               or u.created_at > f.created_at
               or u.id > min(u.id) over (partition by u.file_id, u.created_at) as dedup
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
    select c.created_at::date as day, count(*) as new_files, sum(c.size) as new_bytes
    from contents c
    where c.created_at >= :'from'::date
      and c.created_at < :'to'::date + 1
    group by 1
), before as (
    select coalesce(sum(c.size), 0) as bytes
    from contents c
    where c.created_at < :'from'::date
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
