-- Ids are allocated by JPA 50 at a time (SEQUENCE generation, allocationSize 50), so an upload's inserts need no
-- extra round trip to read generated keys back. EclipseLink takes the value nextval returns as the last id of
-- its block, so the sequences step by 50 and the next value leaves room above every existing id.
alter sequence stored_file_id_seq increment by 50;
select setval('stored_file_id_seq', (select coalesce(max(id), 0) from stored_file) + 50, false);
alter sequence upload_id_seq increment by 50;
select setval('upload_id_seq', (select coalesce(max(id), 0) from upload) + 50, false);
