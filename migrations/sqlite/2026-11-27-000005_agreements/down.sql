DROP INDEX crossing_events_agreement;
ALTER TABLE crossing_events DROP COLUMN agreement_id;
DROP TABLE agreement_observations;
DROP TABLE agreement_clauses;
DROP TABLE agreement_posts;
DROP TABLE agreements;
