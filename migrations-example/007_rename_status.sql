-- Renaming in two phases: the expand phase runs with the deploy that still reads `status`,
-- the contract phase after every running version has moved to `state`.

-- safemigrate:expand
ALTER TABLE orders ADD COLUMN state text;
CREATE INDEX orders_state_idx ON orders (state);

-- safemigrate:contract
DROP INDEX orders_status_idx;
ALTER TABLE orders DROP COLUMN status;
