-- Lists received from the other side (issue 16): a spreadsheet of people, kept from upload to
-- confirmation so that nothing is written until an officer has seen the preview. The file is
-- kept with its SHA-256 (personal data: the most sensitive class); `mapping` is the columns'
-- fields as confirmed.
CREATE TABLE people_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id     BIGINT NOT NULL REFERENCES border_posts (id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    event_id    BIGINT REFERENCES crossing_events (id),
    status      TEXT NOT NULL CHECK (status IN ('preview', 'imported')),
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX people_imports_post ON people_imports (post_id, id);

-- The column mapping remembered per post: the next file from the same sender maps itself.
CREATE TABLE import_mappings (
    post_id  BIGINT PRIMARY KEY REFERENCES border_posts (id),
    headers  TEXT NOT NULL,
    mapping  TEXT NOT NULL
);

-- A return reconciled with the list of whom the other side received: the three lists, with
-- the match reason per row, kept as JSON (`import::reconcile`), with the file's SHA-256.
CREATE TABLE reconciliations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    BIGINT NOT NULL REFERENCES crossing_events (id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    result      TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX reconciliations_event ON reconciliations (event_id, id);

-- A difference a supervisor looked into: `item` names it (`ours:REFERENCE` or `theirs:ROW`).
CREATE TABLE reconciliation_resolutions (
    reconciliation_id BIGINT NOT NULL REFERENCES reconciliations (id),
    item              TEXT NOT NULL,
    note              TEXT NOT NULL,
    resolved_by       BIGINT NOT NULL REFERENCES users (id),
    resolved_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (reconciliation_id, item)
);
