-- The business-day calendar and the official report (SPEC D1, O1-O4).

-- D1: non-working days set by ADMIN on top of the national holidays.
-- `day` is the Lima date 'YYYY-MM-DD' (text sorts as dates do).  Every
-- change also bumps the counter 'calendar', which nodes compare with the
-- version of their in-memory copy to know when to reload it.
CREATE TABLE calendar_extra_days (
  day TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
);

-- O1/O2: a report for a period of Lima days.  From EN_REVISION on its
-- content is `snapshot` (JSON of the rows as exported) and `snapshot_hash`
-- (SHA-256 of those bytes, hex); back in BORRADOR both are NULL again.
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('BORRADOR', 'EN_REVISION',
    'APROBADO_GERENTE', 'APROBADO_DIRECTOR', 'ENVIADO')),
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  snapshot TEXT,
  snapshot_hash TEXT,
  frozen_at INTEGER,
  sent_on TEXT,
  sent_reference TEXT,
  sent_at INTEGER
);
CREATE INDEX reports_status ON reports(status);

-- The events a report holds: chosen when it is built, chosen again when
-- it goes to EN_REVISION.
CREATE TABLE report_events (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  event_id INTEGER NOT NULL REFERENCES events(id),
  PRIMARY KEY (report_id, event_id)
);
CREATE INDEX report_events_event ON report_events(event_id);

-- Events that reached the regulator: one row each, written when their
-- report is marked ENVIADO.  The primary key makes sending an event twice
-- impossible, whatever races between nodes.
CREATE TABLE reported_events (
  event_id INTEGER PRIMARY KEY REFERENCES events(id),
  report_id INTEGER NOT NULL REFERENCES reports(id),
  sent_at INTEGER NOT NULL
);

-- The approval trail: every transition with who, in which role, when.
CREATE TABLE report_transitions (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  at INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  comment TEXT,
  reference TEXT,
  snapshot_hash TEXT
);
CREATE INDEX report_transitions_report ON report_transitions(report_id);

-- O3, the deadline board: closed reportable events by end time.
CREATE INDEX events_reportable_ended ON events(ended_at)
  WHERE status = 'CLOSED' AND reportable = 1;
