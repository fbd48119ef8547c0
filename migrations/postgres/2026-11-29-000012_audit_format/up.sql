-- Finding 3 of issue 17: the hash did not cover `actor_id`. Entries written from now on use
-- canonical format 2, which does (src/audit/chain.rs); entries already written keep format 1 so
-- their stored hashes still verify. A format never goes down along the chain.
ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
