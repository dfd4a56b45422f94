-- Renaming orders.status to state without breaking the running version (written by
-- `safemigrate new "rename status" migrations-example --rename-column orders.status state`): the expand adds
-- `state`, a trigger keeps both columns equal whichever one a writer sets, and a batched backfill copies the
-- existing rows; the contract, once every running version uses `state`, drops the trigger and `status`.
-- safemigrate:no-transaction
-- safemigrate:expand
BEGIN;
CREATE FUNCTION "public"."orders_status_sync"() RETURNS trigger LANGUAGE plpgsql AS $sync$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."state" IS NULL THEN
      NEW."state" := NEW."status";
    ELSE
      NEW."status" := NEW."state";
    END IF;
  ELSIF NEW."state" IS DISTINCT FROM OLD."state" AND NEW."state" IS DISTINCT FROM NEW."status" THEN
    NEW."status" := NEW."state";
  ELSIF NEW."status" IS DISTINCT FROM OLD."status" THEN
    NEW."state" := NEW."status";
  END IF;
  RETURN NEW;
END
$sync$;
CREATE TRIGGER "orders_status_sync" BEFORE INSERT OR UPDATE ON "public"."orders" FOR EACH ROW EXECUTE FUNCTION "public"."orders_status_sync"();
ALTER TABLE "public"."orders" ADD COLUMN "state" text;
COMMIT;
ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_state_not_null" CHECK ("state" IS NOT NULL) NOT VALID;
-- safemigrate:backfill table="public.orders" set="state = status" where="state IS DISTINCT FROM status"
ALTER TABLE "public"."orders" VALIDATE CONSTRAINT "orders_state_not_null";
ALTER TABLE "public"."orders" ALTER COLUMN "state" SET NOT NULL;
ALTER TABLE "public"."orders" DROP CONSTRAINT "orders_state_not_null";
CREATE INDEX CONCURRENTLY orders_state_idx ON public.orders (state);

-- safemigrate:contract
BEGIN;
DROP TRIGGER "orders_status_sync" ON "public"."orders";
DROP FUNCTION "public"."orders_status_sync"();
ALTER TABLE "public"."orders" ALTER COLUMN "state" SET DEFAULT 'pending'::text;
ALTER TABLE "public"."orders" DROP COLUMN "status";
COMMIT;

-- safemigrate:rollback
-- safemigrate:no-transaction
BEGIN;
DROP TRIGGER "orders_status_sync" ON "public"."orders";
DROP FUNCTION "public"."orders_status_sync"();
ALTER TABLE "public"."orders" DROP COLUMN "state";
COMMIT;
