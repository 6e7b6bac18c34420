-- Every upload has its own link (issue 14, finding 1). A stored_file row is now one link: a stored name serving
-- one content. The bytes are still stored once, by SHA-256 (the blob store is content-addressed): every link of the
-- same bytes shares the blob, which goes with the last of them. A second upload of known bytes used to get the first
-- one's name, so deleting either upload left the URL serving, and uploading bytes told where they were hosted.
-- Links made before this change keep their names and every upload that shares them: such a link serves until its
-- last upload is deleted or expires, as before.
alter table stored_file drop constraint stored_file_sha256_key;
create index stored_file_sha256_idx on stored_file (sha256);
