-- Four eyes, completely (DESIGN.md §3, invariant 4): an event is verified by a supervisor who
-- neither recorded it nor made its latest change, and an agreement goes into force only when
-- confirmed by someone other than the supervisor who asked for it and its latest editor.
--
-- `changed_by`: who last changed the event's fields (its recorder until someone corrects it).
-- `edited_by`: who last changed the agreement's fields, posts or clauses (its creator until then).
-- `confirmed_by`: who confirmed the agreement's latest activation.
-- They stay nullable only because SQLite cannot add a NOT NULL column with a reference; every
-- write sets them, and existing rows are filled below.
ALTER TABLE crossing_events ADD COLUMN changed_by BIGINT REFERENCES users (id);
UPDATE crossing_events SET changed_by = recorded_by;
-- Everyone who corrected it since it was last verified (user ids, comma-separated): none of them
-- verifies it, even if someone else edited after them.
ALTER TABLE crossing_events ADD COLUMN changers TEXT NOT NULL DEFAULT '';
ALTER TABLE agreements ADD COLUMN edited_by BIGINT REFERENCES users (id);
ALTER TABLE agreements ADD COLUMN confirmed_by BIGINT REFERENCES users (id);
UPDATE agreements SET edited_by = created_by;

-- SQLite cannot add a CHECK to an existing table; these triggers hold the same rules.
CREATE TRIGGER crossing_events_four_eyes_insert BEFORE INSERT ON crossing_events
WHEN NEW.verified_by IS NOT NULL AND (NEW.verified_by = NEW.changed_by OR NEW.verified_by = NEW.recorded_by)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: crossing_events_four_eyes');
END;
CREATE TRIGGER crossing_events_four_eyes_update BEFORE UPDATE ON crossing_events
WHEN NEW.verified_by IS NOT NULL AND (NEW.verified_by = NEW.changed_by OR NEW.verified_by = NEW.recorded_by)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: crossing_events_four_eyes');
END;
CREATE TRIGGER agreements_four_eyes_confirm BEFORE UPDATE OF status ON agreements
WHEN OLD.status = 'pending_activation' AND NEW.status = 'active'
     AND (NEW.confirmed_by IS NULL OR NEW.confirmed_by = OLD.proposed_by OR NEW.confirmed_by = OLD.edited_by)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: agreements_four_eyes');
END;
