-- N1: the durable mail outbox, and the leases of background jobs.

-- One row per mail, written in the transaction of its cause.  A sender
-- claims due rows with a lease (lease_owner, lease_until) so that several
-- nodes never send the same mail twice; dedupe_key makes a trigger that
-- may fire again (timers) enqueue once.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  trigger TEXT NOT NULL,
  dedupe_key TEXT UNIQUE,
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  link TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'PENDING'
    CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Every delivery attempt, kept.
CREATE TABLE outbox_attempts (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  at INTEGER NOT NULL,
  node TEXT NOT NULL,
  ok INTEGER NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX outbox_attempts_mail ON outbox_attempts(outbox_id);

-- Background jobs: one row per job; a node runs a job only while it
-- holds its lease, and each run is idempotent anyway.
CREATE TABLE jobs (
  name TEXT PRIMARY KEY,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_run_at INTEGER NOT NULL DEFAULT 0
);
