DROP INDEX crossing_events_pending_days;
ALTER TABLE sessions DROP COLUMN notice;
