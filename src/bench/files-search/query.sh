#!/bin/bash
# Times one page and the capped count of a file search as pomf.admin.control.FileSearchSql builds it (best of 3).
# usage: query.sh label where order offset; PSQL names the psql command and database (default: psql -d bench)
P="${PSQL:-psql -d bench} -X -q"
label=$1; where=$2; order=$3; offset=$4
porder=${order//f./p.}
page="select p.name, p.size, (select count(*) from upload u where u.file_id = p.id), (select u.original_name from upload u where u.file_id = p.id order by u.created_at, u.id limit 1), (select u.uploader_address from upload u where u.file_id = p.id order by u.created_at desc, u.id desc limit 1), exists (select 1 from banned_hash b where b.hash in (p.sha1::text, p.sha256::text)) from (select f.* from stored_file f $where order by $order limit 50 offset $offset) p order by $porder"
count="select count(*) from (select 1 from stored_file f $where limit 10001) c"
t() { # best of 3
  best=999999
  for i in 1 2 3; do
    ms=$( { echo '\timing on'; echo "$1;"; } | $P 2>&1 | grep -o 'Time: [0-9.]*' | awk '{print $2}')
    best=$(echo "$ms $best" | awk '{print ($1<$2)?$1:$2}')
  done
  echo $best
}
rows=$(echo "select count(*) from ($page) x;" | $P -t -A)
cnt=$(echo "$count;" | $P -t -A)
echo "$label | page(offset $offset) $(t "$page") ms | count $(t "$count") ms | rows $rows | total $cnt"
