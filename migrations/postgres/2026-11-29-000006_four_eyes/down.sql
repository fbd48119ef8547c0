DROP TRIGGER agreements_four_eyes_confirm ON agreements;
DROP FUNCTION agreements_four_eyes();
ALTER TABLE agreements DROP COLUMN confirmed_by;
ALTER TABLE agreements DROP COLUMN edited_by;
ALTER TABLE crossing_events DROP CONSTRAINT crossing_events_four_eyes;
ALTER TABLE crossing_events DROP COLUMN changers;
ALTER TABLE crossing_events DROP COLUMN changed_by;
