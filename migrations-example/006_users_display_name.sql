-- A new nullable column, filled for existing users in batches: each batch is a short transaction of its
-- own, so no lock on users is held while the rows are updated.
ALTER TABLE users ADD COLUMN display_name text;
-- safemigrate:backfill table=users set="display_name = split_part(email, '@', 1)" where="display_name IS NULL" batch=500
