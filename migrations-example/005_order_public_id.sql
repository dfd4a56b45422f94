-- A volatile default rewrites the whole table under ACCESS EXCLUSIVE: no automatic fix.
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
