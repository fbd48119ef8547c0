-- Crossing events (DESIGN.md §3, CrossingEvent). Nothing is deleted: a mistaken event is voided
-- with a reason. `local_day` is the post-local calendar day of `occurred_at`, fixed when the
-- event is written, so the ledger below and the event always agree on the day.
CREATE TABLE crossing_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id          BIGINT NOT NULL REFERENCES border_posts (id),
    reference        TEXT NOT NULL UNIQUE,
    ref_year         INTEGER NOT NULL,
    ref_number       INTEGER NOT NULL,
    occurred_at      TIMESTAMP NOT NULL,
    local_day        DATE NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    category         TEXT NOT NULL CHECK (category IN ('military', 'civilian')),
    headcount        INTEGER NOT NULL CHECK (headcount >= 1),
    officers         INTEGER CHECK (officers >= 0 AND officers <= headcount),
    wounded          INTEGER CHECK (wounded >= 0 AND wounded <= headcount),
    source           TEXT NOT NULL,
    source_reference TEXT NOT NULL,
    notes            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'voided')),
    void_reason      TEXT,
    recorded_by      BIGINT NOT NULL REFERENCES users (id),
    recorded_at      TIMESTAMP NOT NULL,
    verified_by      BIGINT REFERENCES users (id),
    verified_at      TIMESTAMP,
    voided_by        BIGINT REFERENCES users (id),
    voided_at        TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL,
    form_key         TEXT NOT NULL UNIQUE,
    UNIQUE (post_id, ref_year, ref_number),
    CHECK (verified_by IS NULL OR verified_by <> recorded_by)
);
-- The ledger replays one post, category and day at a time.
CREATE INDEX crossing_events_day ON crossing_events (post_id, category, local_day, occurred_at);
-- Lists: newest first, keyset on (occurred_at, id), across posts or within one.
CREATE INDEX crossing_events_newest ON crossing_events (occurred_at, id);
CREATE INDEX crossing_events_post_newest ON crossing_events (post_id, occurred_at, id);
-- The commonest filters, each seeking straight to its rows in list order (a filter that
-- matches nothing costs one look-up, not a scan of a million rows).
CREATE INDEX crossing_events_post_direction ON crossing_events (post_id, direction, occurred_at, id);
CREATE INDEX crossing_events_post_status ON crossing_events (post_id, status, occurred_at, id);
CREATE INDEX crossing_events_direction ON crossing_events (direction, occurred_at, id);
CREATE INDEX crossing_events_status ON crossing_events (status, occurred_at, id);

-- The ledger (DESIGN.md §3, PostDay): one row per post, day with events, and category.
-- `closing` is the balance at the end of the day; `low` the lowest balance reached during it
-- (opening included), which lets a back-dated change be checked against every later day
-- without replaying their events.
CREATE TABLE post_days (
    post_id  BIGINT NOT NULL REFERENCES border_posts (id),
    day      DATE NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('military', 'civilian')),
    inbound  BIGINT NOT NULL,
    outbound BIGINT NOT NULL,
    closing  BIGINT NOT NULL CHECK (closing >= 0),
    low      BIGINT NOT NULL CHECK (low >= 0),
    PRIMARY KEY (post_id, category, day)
);

-- Closed days: their events are read-only and their closing balances fixed until a supervisor
-- reopens the day (which removes the row; the audit trail keeps both steps and the reason).
CREATE TABLE day_closures (
    post_id           BIGINT NOT NULL REFERENCES border_posts (id),
    day               DATE NOT NULL,
    closed_by         BIGINT NOT NULL REFERENCES users (id),
    closed_at         TIMESTAMP NOT NULL,
    military_closing  BIGINT NOT NULL,
    civilian_closing  BIGINT NOT NULL,
    PRIMARY KEY (post_id, day)
);
