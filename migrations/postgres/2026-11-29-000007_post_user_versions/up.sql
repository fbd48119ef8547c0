-- Optimistic locking for border posts and accounts (DESIGN.md §3, invariant 8), as events and
-- agreements have it: each edit form carries the version it was based on, and a save based on
-- an older one is refused (409) instead of silently overwriting. Existing rows start at 1.
ALTER TABLE border_posts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
