-- Border posts: the unit everything else is recorded against (DESIGN.md §3, BorderPost).
-- Instants are stored as UTC by the application (no database-side now()), so SQLite and
-- PostgreSQL hold the same value to the microsecond.
CREATE TABLE border_posts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code              TEXT NOT NULL UNIQUE,
    name_en           TEXT NOT NULL,
    name_ar           TEXT NOT NULL,
    country           TEXT NOT NULL,
    neighbour_country TEXT NOT NULL,
    governorate       TEXT NOT NULL,
    counterpart_name  TEXT NOT NULL,
    timezone          TEXT NOT NULL,
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
