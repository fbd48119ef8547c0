ALTER TABLE sessions DROP COLUMN notice;
