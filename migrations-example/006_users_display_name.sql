ALTER TABLE users ADD COLUMN display_name text;

-- Backfilling in the same transaction as DDL on users holds the DDL lock for the whole update.
UPDATE users SET display_name = split_part(email, '@', 1) WHERE display_name IS NULL;

-- Scans every row under ACCESS EXCLUSIVE; plan/up go through a validated CHECK instead.
ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;
