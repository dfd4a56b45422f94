-- A column with a volatile default, added the safe way (written by
-- `safemigrate new "order public id" migrations-example --add-column orders.public_id uuid --default 'gen_random_uuid()'`):
-- the column is added without a default (no rewrite), new rows get the default, and existing rows are
-- filled in batches, each a short transaction of its own.
-- safemigrate:no-transaction
-- safemigrate:expand
BEGIN;
ALTER TABLE "public"."orders" ADD COLUMN "public_id" uuid;
ALTER TABLE "public"."orders" ALTER COLUMN "public_id" SET DEFAULT gen_random_uuid();
COMMIT;
-- safemigrate:backfill table="public.orders" set="public_id = gen_random_uuid()" where="public_id IS NULL"

-- safemigrate:contract


-- safemigrate:rollback
-- safemigrate:no-transaction
ALTER TABLE "public"."orders" DROP COLUMN "public_id";
