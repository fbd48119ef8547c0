-- The one-line message shown once after an action ("QAIM-2024-0042 recorded. It awaits
-- verification."): it travels with the redirect in the session, and the next page takes it.
ALTER TABLE sessions ADD COLUMN notice TEXT;
