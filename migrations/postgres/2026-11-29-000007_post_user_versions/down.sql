ALTER TABLE users DROP COLUMN version;
ALTER TABLE border_posts DROP COLUMN version;
