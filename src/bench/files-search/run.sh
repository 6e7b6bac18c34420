#!/bin/bash
# The admin file searches timed over generate.sql's data; run once before and once after V5__admin_search.sql.
cd "$(dirname "$0")"
C="f.created_at desc, f.id desc"
./query.sh "all, created desc, page 1" "" "$C" 0
./query.sh "all, created desc, deep" "" "$C" 500000
./query.sh "all, size desc, page 1" "" "f.size desc, f.id desc" 0
./query.sh "all, name asc, deep" "" "f.name" 500000
./query.sh "name contains 'report' (no match)" "where exists (select 1 from upload u where u.file_id = f.id and lower(u.original_name) like lower('%report%') escape '\\')" "$C" 0
./query.sh "name contains 'PHOTO' (all match)" "where exists (select 1 from upload u where u.file_id = f.id and lower(u.original_name) like lower('%PHOTO%') escape '\\')" "$C" 0
./query.sh "name contains 'photo 4242' (rare)" "where exists (select 1 from upload u where u.file_id = f.id and lower(u.original_name) like lower('%photo 4242%') escape '\\')" "$C" 0
./query.sh "hash prefix 'a1b2c3'" "where (f.sha1 like 'a1b2c3%' or f.sha256 like 'a1b2c3%')" "$C" 0
./query.sh "stored prefix 'n00ab'" "where f.name like 'n00ab%' escape '\\'" "$C" 0
./query.sh "address 198.51.8.0/24" "where exists (select 1 from upload u where u.file_id = f.id and pomf_inet(u.uploader_address) <<= cast('198.51.8.0/24' as inet))" "$C" 0
./query.sh "address = 198.51.8.246" "where exists (select 1 from upload u where u.file_id = f.id and pomf_inet(u.uploader_address) = cast('198.51.8.246' as inet))" "$C" 0
./query.sh "one day 2023-03-01" "where f.created_at < '2023-03-02' and exists (select 1 from upload u where u.file_id = f.id and u.created_at >= '2023-03-01' and u.created_at < '2023-03-02')" "$C" 0
