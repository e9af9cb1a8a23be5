-- Login throttling by client address and by (username, address) (issue
-- 14).  Keys: 'a|ADDRESS' counts every failed login from an address (a
-- password spray over many usernames); 'u|USERNAME|ADDRESS' the failures
-- of one existing username from one address, so a username's lock never
-- denies its owner from another address.  Unknown usernames add no row of
-- their own.  Rows older than the window are deleted as failures arrive.
-- (login_failures, keyed by username alone, is no longer written.)
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  failures BIGINT NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);
