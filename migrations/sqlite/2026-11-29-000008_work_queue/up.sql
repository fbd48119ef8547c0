-- The one-line message shown once after an action ("QAIM-2024-0042 recorded. It awaits
-- verification."): it travels with the redirect in the session, and the next page takes it.
ALTER TABLE sessions ADD COLUMN notice TEXT;
-- What pending entries add to a post's figures, per category and day: only the pending rows are
-- read (the ledger's own index would read every event of the post up to the day), from the index
-- alone (direction and headcount are in it).
CREATE INDEX crossing_events_pending_days ON crossing_events (post_id, status, category, local_day, direction, headcount);
