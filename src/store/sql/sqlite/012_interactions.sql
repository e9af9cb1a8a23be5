-- Data brought in (SPEC I1-I3): the imports, and what E3/E4 need of them
-- stored as time series (DESIGN.md "Performance shape"): one row per
-- series and Lima day with that day's minute counts encoded
-- (src/import/series.h), plus the day totals E4 reads.

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,            -- interactions | social | ldr
  source TEXT NOT NULL,          -- ARCHIVO (a CSV) | DIGITADO (typed in)
  sha256 TEXT NOT NULL,          -- of the uncompressed content
  row_count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,        -- as received
  first_day INTEGER NOT NULL,    -- Lima day numbers the rows span
  last_day INTEGER NOT NULL,
  series_bytes INTEGER NOT NULL, -- encoded minute counts stored
  imported_at INTEGER NOT NULL,
  imported_by TEXT NOT NULL,
  withdrawn_at INTEGER,
  withdrawn_by TEXT
);
-- I3: the same content twice is refused, unless the first was withdrawn.
CREATE UNIQUE INDEX imports_content ON imports(kind, sha256)
  WHERE withdrawn_at IS NULL;

-- kind: I interactions (point, procedure type), S social (code PUBLICO |
-- INBOX, network), L ldr (point).  point_id 0 for social.
CREATE TABLE series_days (
  kind TEXT NOT NULL,
  point_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  day INTEGER NOT NULL,
  network TEXT NOT NULL,
  import_id INTEGER NOT NULL,
  total INTEGER NOT NULL,
  minutes BLOB NOT NULL,
  PRIMARY KEY (kind, point_id, code, day, network, import_id)
) WITHOUT ROWID;

CREATE TABLE day_totals (
  kind TEXT NOT NULL,
  day INTEGER NOT NULL,
  code TEXT NOT NULL,
  import_id INTEGER NOT NULL,
  total INTEGER NOT NULL,
  PRIMARY KEY (kind, day, code, import_id)
) WITHOUT ROWID;

-- The impact charts of a report frozen at EN_REVISION (the PDF annex), so
-- that a frozen report's PDF does not follow later imports or withdrawals.
CREATE TABLE report_charts (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  position INTEGER NOT NULL,
  chart TEXT NOT NULL, -- JSON: render/chart.c's struct impact_chart
  PRIMARY KEY (report_id, position)
);
