-- Accounts, their post scope, server-side sessions and login throttling (DESIGN.md §3 User, §4).
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'officer', 'auditor')),
    all_posts           BOOLEAN NOT NULL DEFAULT FALSE,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    language            TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ar')),
    digits              TEXT NOT NULL DEFAULT 'western' CHECK (digits IN ('western', 'arabic_indic')),
    password_changed_at TIMESTAMP NOT NULL,
    last_login_at       TIMESTAMP,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

CREATE TABLE user_posts (
    user_id BIGINT NOT NULL REFERENCES users (id),
    post_id BIGINT NOT NULL REFERENCES border_posts (id),
    PRIMARY KEY (user_id, post_id)
);

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of the database does
-- not let anyone sign in as the users it holds.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    ended_at     TIMESTAMP,
    ended_reason TEXT
);
CREATE INDEX sessions_user ON sessions (user_id, ended_at);

-- Failed sign-ins, keyed by "user:NAME" (existing or not, so a lock reveals nothing) or "ip:ADDR".
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
