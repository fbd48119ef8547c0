-- A second factor (TOTP, RFC 6238) per account, with ten one-time recovery codes.
-- The secret is kept as base32 text: the server must compute codes from it, so it cannot be
-- hashed; it never leaves the server (no export carries it, see export/columns.rs).
CREATE TABLE user_totp (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    secret     TEXT NOT NULL,
    enabled_at TIMESTAMP NOT NULL,
    -- The last 30-second time step accepted: a code of that step or an earlier one is refused,
    -- so no code is accepted twice.
    last_step  BIGINT
);

-- Only the SHA-256 of each recovery code is stored; a used code keeps its row, with used_at.
CREATE TABLE user_recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes (user_id);

-- A session whose password was right but whose second factor is still asked for reaches no page
-- but the code step; the secret being enrolled waits in the session (server-side) until the
-- first code confirms it, so it is never taken back from the browser.
ALTER TABLE sessions ADD COLUMN second_factor_pending BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN enrolling_secret TEXT;
