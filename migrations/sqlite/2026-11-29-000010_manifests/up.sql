-- Return manifests (DESIGN.md invariant 6): the named people of a return. An arrival's named
-- people are those whose `people.inbound_event_id` is the arrival; a return's are listed here.
-- `status_before` is the person's status when the return was verified (they become `returned`),
-- restored if the return is voided or corrected back to pending. Rows of a voided return stay,
-- as its record; a person is on at most one return that is not void (checked under the post's
-- lock, which every manifest change holds).
CREATE TABLE return_manifest (
    event_id      BIGINT NOT NULL REFERENCES crossing_events (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    position      INTEGER NOT NULL,
    status_before TEXT CHECK (status_before IN ('present', 'wishes_to_return')),
    added_by      BIGINT NOT NULL REFERENCES users (id),
    added_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX return_manifest_person ON return_manifest (person_id);

-- What is heard of a person after their return: the no-reprisals assurance is monitored here.
CREATE TABLE person_followups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    observed_on DATE NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('family', 'icrc', 'media', 'person')),
    finding     TEXT NOT NULL CHECK (finding IN ('safe', 'no_news', 'alleged_reprisal', 'confirmed_reprisal')),
    text        TEXT NOT NULL,
    agreement_observation_id BIGINT REFERENCES agreement_observations (id),
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX person_followups_person ON person_followups (person_id, id);
