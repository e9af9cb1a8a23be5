-- Control and contingency (SPEC T1, V2, V3, C4 ruling-out, K1-K2).
-- Times are UTC seconds; booleans 0/1.

-- T1: critical transactions served while an event was open; system_ref
-- (e.g. the complaint code) is added once the system is back.
CREATE TABLE critical_transactions (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id),
  type TEXT NOT NULL,
  customer_ref TEXT NOT NULL,
  attended_at INTEGER NOT NULL,
  how TEXT NOT NULL,
  system_ref TEXT,
  system_ref_at INTEGER,
  system_ref_by INTEGER REFERENCES users(id),
  recorded_at INTEGER NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX critical_transactions_event ON critical_transactions(event_id);
CREATE INDEX critical_transactions_missing ON critical_transactions(event_id)
  WHERE system_ref IS NULL;

-- V2: operational-error alerts CONTROL sends to the point's JEFEs.
CREATE TABLE operational_alerts (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id),
  text TEXT NOT NULL,
  recipients TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX operational_alerts_event ON operational_alerts(event_id);

-- C4: why an event was ruled out (events.ruled_out = 1), once per event.
CREATE TABLE event_exclusions (
  event_id INTEGER PRIMARY KEY REFERENCES events(id),
  source TEXT NOT NULL CHECK (source IN ('CONTROL', 'PROCESOS')),
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
);

-- V3: CONTROL asks PROCESOS for a ruling (one per event), answered within
-- 24 hours (due_at); unanswered, or at once when the primaries are absent,
-- it is escalated to the configured backups exactly once (escalated_at).
CREATE TABLE processes_requests (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL UNIQUE REFERENCES events(id),
  note TEXT,
  requested_at INTEGER NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  due_at INTEGER NOT NULL,
  ruling TEXT CHECK (ruling IN ('PROCEDE', 'NO_PROCEDE')),
  reason TEXT,
  ruled_at INTEGER,
  ruled_by INTEGER REFERENCES users(id),
  escalated_at INTEGER,
  escalation_reason TEXT CHECK (escalation_reason IN ('VENCIDA', 'AUSENCIA')),
  escalated_to TEXT
);
CREATE INDEX processes_requests_waiting ON processes_requests(due_at)
  WHERE ruling IS NULL AND escalated_at IS NULL;

-- V3: a PROCESOS user away (ends_at NULL: until they come back).
CREATE TABLE processes_absences (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX processes_absences_user ON processes_absences(user_id);

-- K1-K2: the serials of printed paper forms, gapless per point; event_id
-- is set when the form is regularised (typed in as origin MANUAL).
CREATE TABLE manual_forms (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL UNIQUE,
  point_id INTEGER NOT NULL REFERENCES points(id),
  seq INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  issued_by TEXT NOT NULL,
  event_id INTEGER UNIQUE REFERENCES events(id),
  used_at INTEGER,
  UNIQUE (point_id, seq)
);
