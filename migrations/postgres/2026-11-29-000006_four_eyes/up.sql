-- Four eyes, completely (DESIGN.md §3, invariant 4): an event is verified by a supervisor who
-- neither recorded it nor made its latest change, and an agreement goes into force only when
-- confirmed by someone other than the supervisor who asked for it and its latest editor.
--
-- `changed_by`: who last changed the event's fields (its recorder until someone corrects it).
-- `edited_by`: who last changed the agreement's fields, posts or clauses (its creator until then).
-- `confirmed_by`: who confirmed the agreement's latest activation.
-- Nullable as in the SQLite tree (which cannot add a NOT NULL column with a reference); every
-- write sets them, and existing rows are filled below.
ALTER TABLE crossing_events ADD COLUMN changed_by BIGINT REFERENCES users (id);
UPDATE crossing_events SET changed_by = recorded_by;
-- Everyone who corrected it since it was last verified (user ids, comma-separated): none of them
-- verifies it, even if someone else edited after them.
ALTER TABLE crossing_events ADD COLUMN changers TEXT NOT NULL DEFAULT '';
ALTER TABLE crossing_events ADD CONSTRAINT crossing_events_four_eyes
    CHECK (verified_by IS NULL OR verified_by <> changed_by);
ALTER TABLE agreements ADD COLUMN edited_by BIGINT REFERENCES users (id);
ALTER TABLE agreements ADD COLUMN confirmed_by BIGINT REFERENCES users (id);
UPDATE agreements SET edited_by = created_by;

-- The confirmation rule concerns one transition, which a CHECK cannot see; a trigger can.
CREATE FUNCTION agreements_four_eyes() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'pending_activation' AND NEW.status = 'active'
       AND (NEW.confirmed_by IS NULL
            OR NEW.confirmed_by = OLD.proposed_by
            OR NEW.confirmed_by = OLD.edited_by) THEN
        RAISE EXCEPTION 'agreements_four_eyes: confirmed by its proposer or latest editor'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agreements_four_eyes_confirm BEFORE UPDATE OF status ON agreements
    FOR EACH ROW EXECUTE FUNCTION agreements_four_eyes();
