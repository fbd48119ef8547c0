-- People (DESIGN.md §3, Person; invariant 6): the individuals who crossed, each belonging to one
-- post. Nothing is deleted: a person changes status, and a merged duplicate stays readable with a
-- pointer to the record it was merged into.
CREATE TABLE people (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id            BIGINT NOT NULL REFERENCES border_posts (id),
    reference          TEXT NOT NULL UNIQUE,
    ref_year           INTEGER NOT NULL,
    ref_number         INTEGER NOT NULL,
    name_ar            TEXT NOT NULL,
    name_latin         TEXT NOT NULL,
    father_name        TEXT NOT NULL,
    grandfather_name   TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    mother_name        TEXT NOT NULL,
    birth_date         DATE,
    birth_year         INTEGER CHECK (birth_year BETWEEN 1900 AND 2100),
    sex                TEXT NOT NULL CHECK (sex IN ('', 'male', 'female')),
    rank               TEXT NOT NULL,
    unit               TEXT NOT NULL,
    service_number     TEXT NOT NULL,
    id_document_type   TEXT NOT NULL CHECK (id_document_type IN ('', 'national_id', 'military_id', 'passport', 'other')),
    id_document_number TEXT NOT NULL,
    nationality        TEXT NOT NULL,
    medical            TEXT NOT NULL CHECK (medical IN ('none', 'needs_care', 'wounded', 'evacuated')),
    vulnerabilities    TEXT NOT NULL,
    inbound_event_id   BIGINT REFERENCES crossing_events (id),
    notes              TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('present', 'wishes_to_return', 'declines_return', 'returned', 'transferred', 'deceased', 'absconded')),
    transferred_to     TEXT NOT NULL,
    merged_into        BIGINT REFERENCES people (id),
    recorded_by        BIGINT NOT NULL REFERENCES users (id),
    recorded_at        TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL,
    form_key           TEXT NOT NULL UNIQUE,
    UNIQUE (post_id, ref_year, ref_number),
    CHECK (name_ar <> '' OR name_latin <> '')
);
CREATE INDEX people_post ON people (post_id, id);
CREATE INDEX people_inbound_event ON people (inbound_event_id);

-- The keys people are found by (`domain::names`): for every word of their names, kind 0 exact,
-- 1 folded, 2 cross-script; 3 a whole name's signature (probable duplicates); 4 the folded
-- document number and 5 the folded service number (certain duplicates). A search or a duplicate
-- check seeks (kind, key) and never scans the people.
CREATE TABLE person_name_keys (
    person_id BIGINT NOT NULL REFERENCES people (id),
    kind      INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 5),
    name_key  TEXT NOT NULL,
    PRIMARY KEY (kind, name_key, person_id)
);
CREATE INDEX person_name_keys_person ON person_name_keys (person_id);

-- Each statement of a person's wish about returning: when, who heard it, and how.
CREATE TABLE person_statements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    wish        TEXT NOT NULL CHECK (wish IN ('wishes_to_return', 'declines_return')),
    stated_on   DATE NOT NULL,
    heard_by    TEXT NOT NULL,
    how         TEXT NOT NULL CHECK (how IN ('interview', 'written', 'third_party')),
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX person_statements_person ON person_statements (person_id, id);

-- Pairs an officer or supervisor said are not the same person (lower id first): no longer
-- offered as probable duplicates.
CREATE TABLE person_distinct (
    person_low  BIGINT NOT NULL REFERENCES people (id),
    person_high BIGINT NOT NULL REFERENCES people (id),
    decided_by  BIGINT NOT NULL REFERENCES users (id),
    decided_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (person_low, person_high),
    CHECK (person_low < person_high)
);

-- A merge of two records of one person: proposed by a supervisor with a choice per field,
-- applied only when a second supervisor confirms it.
CREATE TABLE person_merges (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kept_id      BIGINT NOT NULL REFERENCES people (id),
    merged_id    BIGINT NOT NULL REFERENCES people (id),
    choices      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'withdrawn')),
    proposed_by  BIGINT NOT NULL REFERENCES users (id),
    proposed_at  TIMESTAMP NOT NULL,
    decided_by   BIGINT REFERENCES users (id),
    decided_at   TIMESTAMP,
    CHECK (kept_id <> merged_id),
    CHECK (decided_by IS NULL OR status = 'withdrawn' OR decided_by <> proposed_by)
);
CREATE INDEX person_merges_open ON person_merges (status, id);
