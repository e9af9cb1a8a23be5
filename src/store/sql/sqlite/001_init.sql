-- Inop schema, version 1 (SQLite).  Times are UTC seconds; booleans 0/1.
-- Lists of catalogue codes (requests, applications, roles, lines) are kept
-- as comma-separated text: codes never contain commas.

CREATE TABLE catalog_items (
  kind TEXT NOT NULL,      -- procedure, request, not_regulated, application,
                           -- scenario, cause, closure_reason, scenario_reason,
                           -- critical_transaction, point_type
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  parent TEXT NOT NULL DEFAULT '',  -- request: procedure; cause and
                                    -- scenario_reason: scenario
  extra TEXT NOT NULL DEFAULT '',   -- application: VENTA/POSTVENTA;
                                    -- point_type: channel
  position INTEGER NOT NULL,
  PRIMARY KEY (kind, parent, code)
);

CREATE TABLE points (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  lines TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE user_points (
  user_id INTEGER NOT NULL REFERENCES users(id),
  point_id INTEGER NOT NULL REFERENCES points(id),
  PRIMARY KEY (user_id, point_id)
);
CREATE INDEX user_points_point ON user_points(point_id);

-- Only the BLAKE2b hash of a session token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
);

-- Gapless sequences: bumped inside the transaction that uses the value.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  point_id INTEGER NOT NULL REFERENCES points(id),
  procedure TEXT NOT NULL,
  requests TEXT NOT NULL,
  applications TEXT NOT NULL,
  scenario TEXT NOT NULL,
  cause TEXT,
  mass_failure_id INTEGER,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
  closure_reason TEXT,
  justification TEXT,
  origin TEXT NOT NULL,
  manual_form_ref TEXT,
  description TEXT,
  registered_at INTEGER NOT NULL,
  registered_by INTEGER NOT NULL REFERENCES users(id),
  closed_at INTEGER,
  closed_by INTEGER REFERENCES users(id),
  reportable INTEGER NOT NULL,
  ruled_out INTEGER NOT NULL DEFAULT 0
);
-- R3: at most one OPEN event per point and procedure type, enforced by the
-- database so that racing requests cannot both win.
CREATE UNIQUE INDEX events_one_open ON events(point_id, procedure)
  WHERE status = 'OPEN';
CREATE INDEX events_started ON events(started_at);
CREATE INDEX events_point_started ON events(point_id, started_at);

CREATE TABLE event_annotations (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id),
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX event_annotations_event ON event_annotations(event_id);

-- A1: append-only, hash-chained.  hash = BLAKE2b-256 over prev_hash and
-- the record (see store/audit.c); audit_head holds the last link so that
-- removing the newest rows is detected too.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity, entity_id);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0,
  '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
