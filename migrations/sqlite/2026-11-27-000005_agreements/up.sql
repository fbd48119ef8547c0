-- Coordination agreements (DESIGN.md §3, Agreement). Going into force takes two supervisors:
-- the first request leaves the agreement `pending_activation` with `proposed_by` set, and a
-- second supervisor confirms it.
CREATE TABLE agreements (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    reference         TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    parties           TEXT NOT NULL,
    signed_on         DATE NOT NULL,
    effective_from    DATE NOT NULL,
    effective_to      DATE,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'pending_activation', 'active', 'suspended', 'concluded')),
    terms             TEXT NOT NULL,
    planned_headcount INTEGER CHECK (planned_headcount >= 1),
    proposed_by       BIGINT REFERENCES users (id),
    created_by        BIGINT NOT NULL REFERENCES users (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL,
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);

-- The posts an agreement covers (one or more).
CREATE TABLE agreement_posts (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    post_id      BIGINT NOT NULL REFERENCES border_posts (id),
    PRIMARY KEY (agreement_id, post_id)
);

-- Typed clauses, in the order they were written.
CREATE TABLE agreement_clauses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('no_reprisals', 'amnesty', 'safe_passage', 'medical_care', 'third_party_access', 'other')),
    text         TEXT NOT NULL
);
CREATE INDEX agreement_clauses_agreement ON agreement_clauses (agreement_id, position);

-- Compliance observations against a clause.
CREATE TABLE agreement_observations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    clause_id    BIGINT NOT NULL REFERENCES agreement_clauses (id),
    finding      TEXT NOT NULL CHECK (finding IN ('complied', 'alleged_breach', 'confirmed_breach')),
    observed_on  DATE NOT NULL,
    source       TEXT NOT NULL,
    text         TEXT NOT NULL,
    recorded_by  BIGINT NOT NULL REFERENCES users (id),
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX agreement_observations_agreement ON agreement_observations (agreement_id, observed_on);

-- A return may cite the agreement it was made under (invariant 5).
ALTER TABLE crossing_events ADD COLUMN agreement_id BIGINT REFERENCES agreements (id);
CREATE INDEX crossing_events_agreement ON crossing_events (agreement_id, occurred_at);
