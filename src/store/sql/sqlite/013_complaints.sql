-- Complaints (SPEC Q1-Q5): the matters the operator edits, the complaints
-- with their documents and transitions, and the attachments of outbox
-- mails.

-- Q3: complainable matters and their business days.  The seeded rows are
-- the company's settings (company_setting = 1), not the law's; ADMIN
-- edits them (PUT /complaint-matters/{code}, audited).
CREATE TABLE complaint_matters (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  business_days INTEGER NOT NULL,
  company_setting INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL,
  updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO complaint_matters (code, name, business_days, position) VALUES
  ('CALIDAD', 'Calidad e idoneidad del servicio', 3, 1),
  ('FACTURACION_HASTA_05_UIT', 'Facturación (monto reclamado hasta 0,5 UIT)', 15, 2),
  ('FACTURACION_MAYOR_05_UIT', 'Facturación (monto reclamado mayor a 0,5 UIT)', 20, 3),
  ('BAJA_NO_PROCESADA', 'Baja o cancelación no procesada', 20, 4),
  ('OTROS', 'Otras materias reclamables', 15, 5);

-- Q2: code REC-YYYY-NNNNNNN from the counter "complaint-YYYY", bumped in
-- the intake's transaction.  external_ref: the platform's own reference
-- (NULLs are distinct: web complaints have none).  due_date is the Lima
-- date YYYY-MM-DD, so text order is date order.
CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL CHECK (source IN ('WEB', 'PLATAFORMA')),
  external_ref TEXT UNIQUE,
  customer_name TEXT NOT NULL,
  document_type TEXT NOT NULL,
  document TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  service TEXT NOT NULL,
  matter TEXT NOT NULL REFERENCES complaint_matters(code),
  matter_name TEXT NOT NULL,
  business_days INTEGER NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'RECIBIDO'
    CHECK (status IN ('RECIBIDO', 'EN_PROCESO', 'RESUELTO')),
  received_at INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  in_process_at INTEGER,
  resolved_at INTEGER,
  note TEXT NOT NULL DEFAULT '',
  client_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaints_tray ON complaints(status, due_date, id);
CREATE INDEX complaints_received ON complaints(received_at);

-- The customer's documents, in the database so every node serves them.
CREATE TABLE complaint_documents (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  position INTEGER NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (complaint_id, position)
);

-- Each move of the tray (Q5), besides its audit record.
CREATE TABLE complaint_transitions (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_transitions_c ON complaint_transitions(complaint_id);

-- Attachments of an outbox mail, by reference: the sender builds each
-- (`source` complaint_form: the form PDF of complaint source_id, rendered
-- when sent; complaint_document: that document's bytes), so the intake
-- neither renders nor copies them.
CREATE TABLE outbox_attachments (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  position INTEGER NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  source TEXT NOT NULL,
  source_id INTEGER NOT NULL
);
CREATE INDEX outbox_attachments_mail ON outbox_attachments(outbox_id);
