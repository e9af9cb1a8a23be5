-- M1-M4: mass failures and the alerts that lead to them (SQLite).

-- A mass failure formalised by FALLAS (declared, or confirmed from an
-- alert).  CONFIRMED while open; SOPORTE closes it (CLOSED) and with it
-- every OPEN event linked through events.mass_failure_id.
CREATE TABLE mass_failures (
  id INTEGER PRIMARY KEY,
  applications TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  cause TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'CLOSED')),
  confirmed_at INTEGER NOT NULL,
  confirmed_by INTEGER NOT NULL REFERENCES users(id),
  ended_at INTEGER,
  closure_reason TEXT,
  justification TEXT,
  closed_at INTEGER,
  closed_by INTEGER REFERENCES users(id)
);
CREATE INDEX mass_failures_status ON mass_failures(status, started_at);

-- An alert of a suspected mass failure: raised by a JEFE for a point, or
-- by the monitoring (Alertmanager; no point, no user).  PENDING until
-- FALLAS confirms it into a mass failure or discards it with a reason.
-- fingerprint: Alertmanager's fingerprint and startsAt, so that the
-- webhook repeating an alert creates it once.
CREATE TABLE mass_failure_alerts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('JEFE', 'ALERTMANAGER')),
  point_id INTEGER REFERENCES points(id),
  applications TEXT NOT NULL,
  observed_at INTEGER NOT NULL,
  description TEXT,
  fingerprint TEXT UNIQUE,
  status TEXT NOT NULL
    CHECK (status IN ('PENDING', 'CONFIRMED', 'DISCARDED')),
  raised_at INTEGER NOT NULL,
  raised_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  decided_by INTEGER REFERENCES users(id),
  mass_failure_id INTEGER REFERENCES mass_failures(id),
  discard_reason TEXT
);
CREATE INDEX mass_failure_alerts_status ON mass_failure_alerts(status, id);

-- M3 closes the OPEN events of a mass failure in one statement's worth of
-- lookups.
CREATE INDEX events_mass_failure ON events(mass_failure_id, status);
