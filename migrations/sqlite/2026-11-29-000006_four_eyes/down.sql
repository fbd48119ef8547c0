DROP TRIGGER agreements_four_eyes_confirm;
DROP TRIGGER crossing_events_four_eyes_update;
DROP TRIGGER crossing_events_four_eyes_insert;
ALTER TABLE agreements DROP COLUMN confirmed_by;
ALTER TABLE agreements DROP COLUMN edited_by;
ALTER TABLE crossing_events DROP COLUMN changers;
ALTER TABLE crossing_events DROP COLUMN changed_by;
