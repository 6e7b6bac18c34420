-- Sessions end with their credentials (issue 14, finding 5). A session remembers the account's id and this number
-- as they were at its login, and every request it makes checks both: a password change adds one (ending every
-- other session of the account at its next request), a removed account has no row, and an account made again with
-- the same name has a new id. Rehashing a password at login (a stronger hash setting) keeps the number.
alter table admin_account add column credentials_version integer not null default 0;

-- Lockouts are per client address and name (issue 14, finding 9), kept in memory by each origin: a lock on the
-- account itself let one wrong guess every few minutes keep its owner out. The failed count stays, for the page.
alter table admin_account drop column locked_until;
