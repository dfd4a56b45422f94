/**
 * Catalogue cases on partitioned tables with two partitions holding rows (and one sub-partitioned table):
 * Postgres applies most statements on the parent to every partition, in the parent's lock mode.
 */
import type { StatementCase } from "./statements.js";

/**
 * `e`: range partitioned on k with two partitions holding rows, `e1` and `e2`; `e.r` can reference `p.id`
 * (`p` as in ./statements.ts).
 * `s`: list partitioned with a sub-partitioned partition `s1` (partitions `s1a`, `s1b`) and a leaf `s2`.
 */
const E = [
  "CREATE TABLE p (id int PRIMARY KEY)",
  "INSERT INTO p SELECT generate_series(1, 5)",
  "CREATE TABLE e (id int NOT NULL, k int NOT NULL, r int, note text) PARTITION BY RANGE (k)",
  "CREATE TABLE e1 PARTITION OF e FOR VALUES FROM (0) TO (100)",
  "CREATE TABLE e2 PARTITION OF e FOR VALUES FROM (100) TO (200)",
  "INSERT INTO e SELECT g, g * 37 % 200, 1 + g % 5, 'n' FROM generate_series(1, 20) AS g",
];
const S = [
  "CREATE TABLE s (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k)",
  "CREATE TABLE s1 PARTITION OF s FOR VALUES IN (1, 2) PARTITION BY LIST (id)",
  "CREATE TABLE s1a PARTITION OF s1 FOR VALUES IN (1)",
  "CREATE TABLE s1b PARTITION OF s1 FOR VALUES IN (2)",
  "CREATE TABLE s2 PARTITION OF s FOR VALUES IN (3)",
  "INSERT INTO s VALUES (1, 1), (2, 2), (1, 3)",
];
/** `e` with the foreign key `e_r_fkey` already added NOT VALID and validated on each partition. */
const E_FK_ON_PARTITIONS = [
  ...E,
  ...["e1", "e2"].flatMap((part) => [
    `ALTER TABLE ${part} ADD CONSTRAINT e_r_fkey FOREIGN KEY (r) REFERENCES p (id) NOT VALID`,
    `ALTER TABLE ${part} VALIDATE CONSTRAINT e_r_fkey`,
  ]),
];

export const PARTITION_CASES: StatementCase[] = [
  { name: "partitioned: create index", setup: E, sql: "CREATE INDEX e_k_idx ON e (k)" },
  { name: "partitioned: create unique index", setup: E, sql: "CREATE UNIQUE INDEX e_id_k_key ON e (id, k)" },
  { name: "partitioned: create index on only", setup: E, sql: "CREATE INDEX e_k_idx ON ONLY e (k)" },
  {
    name: "partitioned: create index on a partition concurrently",
    setup: [...E, "CREATE INDEX e_k_idx ON ONLY e (k)"],
    sql: "CREATE INDEX CONCURRENTLY e1_k_idx ON e1 (k)",
    inTransaction: false,
    blocker: "LOCK TABLE e1 IN ROW EXCLUSIVE MODE",
  },
  {
    name: "partitioned: attach index",
    setup: [...E, "CREATE INDEX e_k_idx ON ONLY e (k)", "CREATE INDEX e1_k_idx ON e1 (k)"],
    sql: "ALTER INDEX e_k_idx ATTACH PARTITION e1_k_idx",
  },
  { name: "partitioned: create index on sub-partitions", setup: S, sql: "CREATE INDEX s_k_idx ON s (k)" },
  { name: "partitioned: add column", setup: E, sql: "ALTER TABLE e ADD COLUMN c int" },
  {
    name: "partitioned: add column with volatile default",
    setup: E,
    sql: "ALTER TABLE e ADD COLUMN c float8 DEFAULT random()",
  },
  { name: "partitioned: alter column type", setup: E, sql: "ALTER TABLE e ALTER COLUMN r TYPE bigint" },
  { name: "partitioned: add check", setup: E, sql: "ALTER TABLE e ADD CONSTRAINT e_id_check CHECK (id > 0)" },
  {
    name: "partitioned: add check not valid",
    setup: E,
    sql: "ALTER TABLE e ADD CONSTRAINT e_id_check CHECK (id > 0) NOT VALID",
  },
  {
    name: "partitioned: validate check",
    setup: [...E, "ALTER TABLE e ADD CONSTRAINT e_id_check CHECK (id > 0) NOT VALID"],
    sql: "ALTER TABLE e VALIDATE CONSTRAINT e_id_check",
  },
  { name: "partitioned: set not null", setup: E, sql: "ALTER TABLE e ALTER COLUMN note SET NOT NULL" },
  {
    name: "partitioned: set not null after a validated check",
    setup: [
      ...E,
      "ALTER TABLE e ADD CONSTRAINT e_note_nn CHECK (note IS NOT NULL) NOT VALID",
      "ALTER TABLE e VALIDATE CONSTRAINT e_note_nn",
    ],
    sql: "ALTER TABLE e ALTER COLUMN note SET NOT NULL",
  },
  {
    name: "partitioned: add foreign key",
    setup: E,
    sql: "ALTER TABLE e ADD CONSTRAINT e_r_fkey FOREIGN KEY (r) REFERENCES p (id)",
  },
  {
    name: "partitioned: add foreign key not valid",
    setup: E,
    // Before Postgres 18: "cannot add NOT VALID foreign key on partitioned table".
    pgMin: 18,
    sql: "ALTER TABLE e ADD CONSTRAINT e_r_fkey FOREIGN KEY (r) REFERENCES p (id) NOT VALID",
  },
  {
    name: "partitioned: validate foreign key",
    setup: [...E, "ALTER TABLE e ADD CONSTRAINT e_r_fkey FOREIGN KEY (r) REFERENCES p (id) NOT VALID"],
    pgMin: 18,
    sql: "ALTER TABLE e VALIDATE CONSTRAINT e_r_fkey",
  },
  {
    name: "partitioned: add foreign key not valid to a partition",
    setup: E,
    sql: "ALTER TABLE e1 ADD CONSTRAINT e_r_fkey FOREIGN KEY (r) REFERENCES p (id) NOT VALID",
  },
  {
    name: "partitioned: add foreign key its partitions have",
    setup: E_FK_ON_PARTITIONS,
    sql: "ALTER TABLE e ADD CONSTRAINT e_r_fkey FOREIGN KEY (r) REFERENCES p (id)",
  },
  {
    name: "partitioned: add primary key to only the parent",
    setup: E,
    sql: "ALTER TABLE ONLY e ADD CONSTRAINT e_pkey PRIMARY KEY (id, k)",
  },
  {
    name: "partitioned: create trigger",
    setup: [...E, "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"],
    sql: "CREATE TRIGGER e_trg BEFORE INSERT ON e FOR EACH ROW EXECUTE FUNCTION trg()",
  },
  {
    name: "partitioned: create statement trigger",
    setup: [...E, "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"],
    sql: "CREATE TRIGGER e_trg AFTER INSERT ON e FOR EACH STATEMENT EXECUTE FUNCTION trg()",
  },
  {
    name: "partitioned: enable row level security",
    setup: E,
    sql: "ALTER TABLE e ENABLE ROW LEVEL SECURITY",
  },
  { name: "partitioned: replica identity full", setup: E, sql: "ALTER TABLE e REPLICA IDENTITY FULL" },
  { name: "partitioned: revoke select", setup: E, sql: "REVOKE SELECT ON e FROM PUBLIC" },
  {
    name: "partitioned: set access method",
    setup: [...E, "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler"],
    // Postgres 15 and 16 refuse it on a partitioned table; 17 made it the default for new partitions.
    pgMin: 17,
    sql: "ALTER TABLE e SET ACCESS METHOD heap2",
    teardown: ["DROP ACCESS METHOD IF EXISTS heap2"],
  },
  { name: "partitioned: drop table", setup: E, sql: "DROP TABLE e" },
  { name: "partitioned: drop a partition", setup: E, sql: "DROP TABLE e2" },
  { name: "partitioned: truncate", setup: E, sql: "TRUNCATE e" },
  { name: "partitioned: truncate sub-partitions", setup: S, sql: "TRUNCATE s" },
];
