/**
 * The statement catalogue: one case per statement shape the statement model describes or a lint rule
 * relies on. test/model/locks.test.ts runs every case on a real server and compares what Postgres does
 * (pg_locks, relfilenode, scan counters) with the model (src/analysis/effects).
 *
 * Each case starts from an empty database: `setup` runs statement by statement, each committed, on one
 * connection (so a `SET` applies to the rest of the setup), then `sql` is the statement under test. Tables
 * hold a few rows, enough to make a scan observable and to keep the suite fast.
 */
import { PARTITION_CASES } from "./partition-statements.js";

export interface StatementCase {
  /** Unique, stable, short: used in test names and failure tables. */
  name: string;
  /** SQL run and committed first, one statement per entry, on one connection. */
  setup: string[];
  /** The statement under test (exactly one statement). */
  sql: string;
  /**
   * Statements run first in the statement's own transaction, uncommitted (what an earlier statement of
   * the same transaction changes). The model reads them as the statements before `sql` in its migration;
   * their locks and rewrites count with the statement's, their scans do not.
   */
  earlierInTransaction?: string[];
  /** Lowest Postgres major the statement exists on. */
  pgMin?: number;
  /** False for statements Postgres refuses inside a transaction block (CONCURRENTLY, VACUUM). */
  inTransaction?: boolean;
  /** `SET ...` run on the statement's own connection first (settings the statement's effect depends on). */
  session?: string[];
  /**
   * For `inTransaction: false` cases: SQL that a second session runs in an open transaction before the
   * statement starts, so that the statement blocks part-way and its locks can be read from pg_locks.
   */
  blocker?: string;
  /** Run after the case, once its schemas are dropped (cluster-wide objects such as tablespaces). */
  teardown?: string[];
}

/** `t`: the table most cases alter; one column per type the type-change cases need. */
const T = [
  `CREATE TABLE t (
    id int PRIMARY KEY,
    a int,
    b text,
    v varchar(10),
    n numeric(10, 2),
    ts timestamp,
    ip cidr,
    bits varbit(8)
  )`,
  `INSERT INTO t
    SELECT g, g, 'b' || g, 'v' || g, g, timestamp '2024-01-01' + g * interval '1 day', '10.0.0.0/8', B'101'
    FROM generate_series(1, 5) AS g`,
];

/** `p`: a table others reference. */
const P = ["CREATE TABLE p (id int PRIMARY KEY)", "INSERT INTO p SELECT generate_series(1, 5)"];

/** `t` and `p`, with `t.a` able to reference `p.id`. */
const TP = [...T, ...P];

/** `u`: no primary key and no NOT NULL columns (primary key cases). */
const U = ["CREATE TABLE u (a int, b int)", "INSERT INTO u SELECT g, g FROM generate_series(1, 5) AS g"];

/** `m`: range partitioned on k, one partition `m1` holding rows; `m2` a table ready to attach. */
const M = [
  "CREATE TABLE m (id int NOT NULL, k int NOT NULL) PARTITION BY RANGE (k)",
  "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100)",
  "INSERT INTO m SELECT g, g FROM generate_series(1, 5) AS g",
];
const M2 = [
  "CREATE TABLE m2 (id int NOT NULL, k int NOT NULL)",
  "INSERT INTO m2 SELECT g, 100 + g FROM generate_series(1, 5) AS g",
];

const MV = [
  ...T,
  "CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t",
  "CREATE UNIQUE INDEX mv_id ON mv (id)",
];

/** `pc`: a table with the columns of `p`, ready to INHERIT it. */
const PC = ["CREATE TABLE pc (id int NOT NULL)", "INSERT INTO pc VALUES (10)"];

/** `mood`: an enum used by table `e`. */
const ENUM_TABLE = [
  "CREATE TYPE mood AS ENUM ('sad', 'happy')",
  "CREATE TABLE e (id int, m mood)",
  "INSERT INTO e VALUES (1, 'sad'), (2, 'happy')",
];

const TRIGGER_FUNCTION =
  "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$";

const LOCK_MODES = [
  "ACCESS SHARE",
  "ROW SHARE",
  "ROW EXCLUSIVE",
  "SHARE UPDATE EXCLUSIVE",
  "SHARE",
  "SHARE ROW EXCLUSIVE",
  "EXCLUSIVE",
  "ACCESS EXCLUSIVE",
];

export const STATEMENT_CASES: StatementCase[] = [
  // Indexes
  { name: "create index", setup: T, sql: "CREATE INDEX t_a_idx ON t (a)" },
  { name: "create unique index", setup: T, sql: "CREATE UNIQUE INDEX t_v_key ON t (v)" },
  { name: "create partial index", setup: T, sql: "CREATE INDEX t_a_idx ON t (a) WHERE a > 2" },
  { name: "create expression index", setup: T, sql: "CREATE INDEX t_lower_b ON t (lower(b))" },
  {
    name: "create index concurrently",
    setup: T,
    sql: "CREATE INDEX CONCURRENTLY t_a_idx ON t (a)",
    inTransaction: false,
    // Phase 2 waits for every transaction holding a lock that conflicts with SHARE.
    blocker: "LOCK TABLE t IN ROW EXCLUSIVE MODE",
  },
  {
    name: "create unique index concurrently",
    setup: T,
    sql: "CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)",
    inTransaction: false,
    blocker: "LOCK TABLE t IN ROW EXCLUSIVE MODE",
  },
  { name: "drop index", setup: [...T, "CREATE INDEX t_a_idx ON t (a)"], sql: "DROP INDEX t_a_idx" },
  {
    name: "drop index concurrently",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "DROP INDEX CONCURRENTLY t_a_idx",
    inTransaction: false,
    // It waits for every transaction holding any lock on the table.
    blocker: "SELECT 1 FROM t LIMIT 1",
  },
  { name: "reindex index", setup: [...T, "CREATE INDEX t_a_idx ON t (a)"], sql: "REINDEX INDEX t_a_idx" },
  { name: "reindex table", setup: [...T, "CREATE INDEX t_a_idx ON t (a)"], sql: "REINDEX TABLE t" },
  {
    name: "reindex index concurrently",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "REINDEX INDEX CONCURRENTLY t_a_idx",
    inTransaction: false,
    blocker: "LOCK TABLE t IN ROW EXCLUSIVE MODE",
  },
  {
    name: "reindex table concurrently",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "REINDEX TABLE CONCURRENTLY t",
    inTransaction: false,
    blocker: "LOCK TABLE t IN ROW EXCLUSIVE MODE",
  },

  // Option lists are read as Postgres reads booleans: bare = true; 1/0, true/false, on/off; last one wins.
  ...["false", "off", "0", "'false'"].map(
    (value): StatementCase => ({
      name: `reindex index (concurrently ${value})`,
      setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
      sql: `REINDEX (CONCURRENTLY ${value}) INDEX t_a_idx`,
      pgMin: 14,
    }),
  ),
  {
    name: "reindex index (concurrently, concurrently false)",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "REINDEX (CONCURRENTLY, CONCURRENTLY false) INDEX t_a_idx",
    pgMin: 14,
  },
  {
    name: "reindex table (concurrently false, verbose)",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "REINDEX (CONCURRENTLY false, VERBOSE) TABLE t",
    pgMin: 14,
  },
  ...["", " true", " on", " 1", " 'TRUE'"].map(
    (value): StatementCase => ({
      name: `reindex index (concurrently${value})`,
      setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
      sql: `REINDEX (CONCURRENTLY${value}) INDEX t_a_idx`,
      pgMin: 14,
      inTransaction: false,
      blocker: "LOCK TABLE t IN ROW EXCLUSIVE MODE",
    }),
  ),
  {
    name: "reindex (concurrently false) index concurrently",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "REINDEX (CONCURRENTLY false) INDEX CONCURRENTLY t_a_idx",
    pgMin: 14,
    inTransaction: false,
    blocker: "LOCK TABLE t IN ROW EXCLUSIVE MODE",
  },

  // ADD COLUMN
  { name: "add column nullable", setup: T, sql: "ALTER TABLE t ADD COLUMN c int" },
  { name: "add column constant default", setup: T, sql: "ALTER TABLE t ADD COLUMN c int DEFAULT 0" },
  { name: "add column now() default", setup: T, sql: "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()" },
  {
    name: "add column random() default",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c float8 DEFAULT random()",
  },
  {
    name: "add column user-defined function default",
    // plpgsql, not SQL: a one-line SQL function is inlined to a constant before Postgres checks volatility.
    setup: [...T, "CREATE FUNCTION label() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'x'; END $$"],
    sql: "ALTER TABLE t ADD COLUMN c text DEFAULT label()",
  },
  {
    name: "add column stable built-in default",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT date_trunc('day', now())",
  },
  {
    name: "add column gen_random_uuid() default",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()",
  },
  {
    name: "add column clock_timestamp() default",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp()",
  },
  { name: "add column serial", setup: T, sql: "ALTER TABLE t ADD COLUMN c serial" },
  { name: "add column bigserial", setup: T, sql: "ALTER TABLE t ADD COLUMN c bigserial" },
  {
    name: "add column identity",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c bigint GENERATED BY DEFAULT AS IDENTITY",
  },
  {
    name: "add column generated stored",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a * 2) STORED",
  },
  {
    name: "add column generated virtual",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a * 2) VIRTUAL",
    pgMin: 18,
  },
  {
    name: "add column not null default",
    setup: T,
    sql: "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0",
  },
  {
    name: "add column not null without default (empty table)",
    setup: ["CREATE TABLE e (id int)"],
    sql: "ALTER TABLE e ADD COLUMN c int NOT NULL",
  },
  {
    name: "add column references",
    setup: TP,
    sql: "ALTER TABLE t ADD COLUMN p_id int REFERENCES p (id)",
  },
  {
    name: "add column references with default",
    setup: TP,
    sql: "ALTER TABLE t ADD COLUMN p_id int DEFAULT 1 REFERENCES p (id)",
  },
  { name: "add column check", setup: T, sql: "ALTER TABLE t ADD COLUMN c int CHECK (c > 0)" },
  { name: "add column unique", setup: T, sql: "ALTER TABLE t ADD COLUMN c int UNIQUE" },
  { name: "drop column", setup: T, sql: "ALTER TABLE t DROP COLUMN b" },

  // Defaults and NOT NULL
  { name: "set default", setup: T, sql: "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0" },
  {
    name: "drop default",
    setup: [...T, "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0"],
    sql: "ALTER TABLE t ALTER COLUMN a DROP DEFAULT",
  },
  { name: "set not null", setup: T, sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL" },
  {
    name: "set not null with validated check",
    setup: [
      ...T,
      "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID",
      "ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null",
    ],
    sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
  },
  {
    name: "set not null with not valid check",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID"],
    sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
  },
  {
    name: "set not null after a check validated in the same transaction",
    setup: T,
    earlierInTransaction: [
      "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID",
      "ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null",
    ],
    sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
  },
  {
    name: "set not null after a valid check added in the same transaction",
    setup: T,
    earlierInTransaction: ["ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL)"],
    sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
  },
  {
    // Postgres drops the constraints of an ALTER TABLE before it checks its new NOT NULLs: a scan.
    name: "set not null in the statement that drops the validated check",
    setup: [
      ...T,
      "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID",
      "ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null",
    ],
    sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL, DROP CONSTRAINT t_a_not_null",
  },
  {
    name: "set not null with validated check, then the check dropped",
    setup: [
      ...T,
      "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID",
      "ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null",
    ],
    earlierInTransaction: ["ALTER TABLE t ALTER COLUMN a SET NOT NULL"],
    sql: "ALTER TABLE t DROP CONSTRAINT t_a_not_null",
  },
  {
    name: "set not null after a check added and dropped in the same transaction",
    setup: T,
    earlierInTransaction: [
      "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL)",
      "ALTER TABLE t DROP CONSTRAINT t_a_not_null",
    ],
    sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
  },
  {
    // The statement's own VALIDATE does not prove it: one scan, under ACCESS EXCLUSIVE.
    name: "set not null in the statement that validates the check",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID"],
    sql: "ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null, ALTER COLUMN a SET NOT NULL",
  },
  {
    name: "add not null constraint after a check validated in the same transaction",
    setup: T,
    earlierInTransaction: [
      "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a IS NOT NULL) NOT VALID",
      "ALTER TABLE t VALIDATE CONSTRAINT t_a_check",
    ],
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_not_null NOT NULL a",
    pgMin: 18,
  },
  {
    name: "drop not null",
    setup: [...T, "ALTER TABLE t ALTER COLUMN a SET NOT NULL"],
    sql: "ALTER TABLE t ALTER COLUMN a DROP NOT NULL",
  },
  {
    name: "add not null constraint",
    setup: T,
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_not_null NOT NULL a",
    pgMin: 18,
  },
  {
    name: "add not null constraint with validated check",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a IS NOT NULL)"],
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_not_null NOT NULL a",
    pgMin: 18,
  },
  {
    name: "add not null constraint not valid",
    setup: T,
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_not_null NOT NULL a NOT VALID",
    pgMin: 18,
  },
  {
    name: "validate not null constraint",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_not_null NOT NULL a NOT VALID"],
    sql: "ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null",
    pgMin: 18,
  },

  // ALTER COLUMN TYPE
  { name: "type int to bigint", setup: T, sql: "ALTER TABLE t ALTER COLUMN a TYPE bigint" },
  { name: "type primary key int to bigint", setup: T, sql: "ALTER TABLE t ALTER COLUMN id TYPE bigint" },
  { name: "type varchar(10) to varchar(20)", setup: T, sql: "ALTER TABLE t ALTER COLUMN v TYPE varchar(20)" },
  { name: "type varchar(10) to text", setup: T, sql: "ALTER TABLE t ALTER COLUMN v TYPE text" },
  { name: "type varchar(10) to varchar", setup: T, sql: "ALTER TABLE t ALTER COLUMN v TYPE varchar" },
  { name: "type varchar(10) to varchar(5)", setup: T, sql: "ALTER TABLE t ALTER COLUMN v TYPE varchar(5)" },
  {
    name: "type numeric(10,2) to numeric(12,2)",
    setup: T,
    sql: "ALTER TABLE t ALTER COLUMN n TYPE numeric(12, 2)",
  },
  {
    name: "type numeric(10,2) to numeric(12,4)",
    setup: T,
    sql: "ALTER TABLE t ALTER COLUMN n TYPE numeric(12, 4)",
  },
  { name: "type numeric(10,2) to numeric", setup: T, sql: "ALTER TABLE t ALTER COLUMN n TYPE numeric" },
  { name: "type text to varchar", setup: T, sql: "ALTER TABLE t ALTER COLUMN b TYPE varchar" },
  { name: "type text to varchar(20)", setup: T, sql: "ALTER TABLE t ALTER COLUMN b TYPE varchar(20)" },
  {
    name: "type timestamp to timestamptz (TimeZone UTC)",
    setup: T,
    sql: "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
    session: ["SET TimeZone = 'UTC'"],
  },
  {
    name: "type timestamp to timestamptz (TimeZone not UTC)",
    setup: T,
    sql: "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
    session: ["SET TimeZone = 'Europe/Paris'"],
  },
  {
    name: "type int to bigint using",
    setup: T,
    sql: "ALTER TABLE t ALTER COLUMN a TYPE bigint USING a::bigint",
  },
  {
    name: "type varchar to text using a plain cast",
    setup: T,
    sql: "ALTER TABLE t ALTER COLUMN v TYPE text USING v::text",
  },
  { name: "type cidr to inet", setup: T, sql: "ALTER TABLE t ALTER COLUMN ip TYPE inet" },
  { name: "type varbit(8) to varbit(16)", setup: T, sql: "ALTER TABLE t ALTER COLUMN bits TYPE varbit(16)" },
  {
    name: "set expression of a generated column",
    setup: [...T, "ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED"],
    sql: "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a * 3)",
    pgMin: 17,
  },

  // ADD / VALIDATE / DROP / RENAME CONSTRAINT
  { name: "add check", setup: T, sql: "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)" },
  {
    name: "add check not valid",
    setup: T,
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
  },
  {
    name: "add foreign key",
    setup: TP,
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id)",
  },
  {
    name: "add foreign key not valid",
    setup: TP,
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id) NOT VALID",
  },
  { name: "add unique", setup: T, sql: "ALTER TABLE t ADD CONSTRAINT t_v_key UNIQUE (v)" },
  { name: "add primary key", setup: U, sql: "ALTER TABLE u ADD CONSTRAINT u_pkey PRIMARY KEY (a)" },
  {
    name: "add unique using index",
    setup: [...T, "CREATE UNIQUE INDEX t_v_key ON t (v)"],
    sql: "ALTER TABLE t ADD CONSTRAINT t_v_key UNIQUE USING INDEX t_v_key",
  },
  {
    name: "add primary key using index (nullable column)",
    setup: [...U, "CREATE UNIQUE INDEX u_a_key ON u (a)"],
    sql: "ALTER TABLE u ADD CONSTRAINT u_pkey PRIMARY KEY USING INDEX u_a_key",
  },
  {
    name: "add primary key using index (not null column)",
    setup: [...U, "ALTER TABLE u ALTER COLUMN a SET NOT NULL", "CREATE UNIQUE INDEX u_a_key ON u (a)"],
    sql: "ALTER TABLE u ADD CONSTRAINT u_pkey PRIMARY KEY USING INDEX u_a_key",
  },
  {
    name: "add exclusion",
    setup: T,
    sql: "ALTER TABLE t ADD CONSTRAINT t_a_excl EXCLUDE USING btree (a WITH =)",
  },
  {
    name: "validate check",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID"],
    sql: "ALTER TABLE t VALIDATE CONSTRAINT t_a_check",
  },
  {
    name: "validate foreign key",
    setup: [...TP, "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id) NOT VALID"],
    sql: "ALTER TABLE t VALIDATE CONSTRAINT t_a_fkey",
  },
  {
    name: "drop check",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)"],
    sql: "ALTER TABLE t DROP CONSTRAINT t_a_check",
  },
  {
    name: "drop foreign key",
    setup: [...TP, "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id)"],
    sql: "ALTER TABLE t DROP CONSTRAINT t_a_fkey",
  },
  {
    name: "rename constraint",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)"],
    sql: "ALTER TABLE t RENAME CONSTRAINT t_a_check TO t_a_positive",
  },

  // Renames, schema, tablespace, persistence
  { name: "rename column", setup: T, sql: "ALTER TABLE t RENAME COLUMN b TO b2" },
  { name: "rename table", setup: T, sql: "ALTER TABLE t RENAME TO t2" },
  {
    name: "rename index",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "ALTER INDEX t_a_idx RENAME TO t_a_index",
  },
  { name: "set schema", setup: [...T, "CREATE SCHEMA other"], sql: "ALTER TABLE t SET SCHEMA other" },
  {
    name: "set tablespace pg_default (already there)",
    setup: T,
    sql: "ALTER TABLE t SET TABLESPACE pg_default",
  },
  {
    name: "set tablespace (moves the table)",
    setup: [
      "DROP TABLESPACE IF EXISTS safemigrate_model_ts",
      "SET allow_in_place_tablespaces = on",
      "CREATE TABLESPACE safemigrate_model_ts LOCATION ''",
      ...T,
    ],
    sql: "ALTER TABLE t SET TABLESPACE safemigrate_model_ts",
    teardown: ["DROP TABLESPACE IF EXISTS safemigrate_model_ts"],
  },
  { name: "set unlogged", setup: T, sql: "ALTER TABLE t SET UNLOGGED" },
  {
    name: "set logged",
    setup: ["CREATE UNLOGGED TABLE ul (id int PRIMARY KEY)", "INSERT INTO ul SELECT generate_series(1, 5)"],
    sql: "ALTER TABLE ul SET LOGGED",
  },

  // Maintenance
  {
    name: "vacuum",
    setup: T,
    sql: "VACUUM t",
    inTransaction: false,
    blocker: "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE",
  },
  {
    name: "vacuum full",
    setup: T,
    sql: "VACUUM FULL t",
    inTransaction: false,
    blocker: "SELECT 1 FROM t LIMIT 1",
  },
  ...["false", "off", "0", "'off'"].map(
    (value): StatementCase => ({
      name: `vacuum (full ${value})`,
      setup: T,
      sql: `VACUUM (FULL ${value}) t`,
      inTransaction: false,
      blocker: "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE",
    }),
  ),
  {
    name: "vacuum (full, full false)",
    setup: T,
    sql: "VACUUM (FULL, FULL false) t",
    inTransaction: false,
    blocker: "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE",
  },
  ...["", " true", " on", " 1"].map(
    (value): StatementCase => ({
      name: `vacuum (full${value}, analyze false)`,
      setup: T,
      sql: `VACUUM (FULL${value}, ANALYZE false) t`,
      inTransaction: false,
      blocker: "SELECT 1 FROM t LIMIT 1",
    }),
  ),
  {
    name: "cluster (verbose false)",
    setup: [...T, "CREATE INDEX t_a_idx ON t (a)"],
    sql: "CLUSTER (VERBOSE false) t USING t_a_idx",
    pgMin: 14,
  },
  { name: "analyze", setup: T, sql: "ANALYZE t" },
  // EXPLAIN plans its statement (taking its locks); with ANALYZE it runs it.
  { name: "explain update", setup: T, sql: "EXPLAIN UPDATE t SET a = 0" },
  {
    name: "explain (analyze false) delete",
    setup: T,
    sql: "EXPLAIN (ANALYZE false, COSTS off) DELETE FROM t",
  },
  { name: "explain analyze update", setup: T, sql: "EXPLAIN ANALYZE UPDATE t SET a = 0" },
  {
    name: "explain (analyze on) create table as",
    setup: T,
    sql: "EXPLAIN (ANALYZE on) CREATE TABLE c AS SELECT id FROM t",
  },

  // DO blocks: one that commits can only run outside a transaction block
  { name: "do block", setup: T, sql: "DO $$BEGIN PERFORM 1; END$$" },
  {
    name: "do block that commits",
    setup: T,
    sql: "DO $$BEGIN PERFORM 1 FROM t LIMIT 1; COMMIT; END$$",
    inTransaction: false,
    blocker: "LOCK TABLE t IN ACCESS EXCLUSIVE MODE",
  },
  // DO blocks: the statements in the body lock, rewrite and scan as they would outside it
  { name: "do block with create index", setup: T, sql: "DO $$BEGIN CREATE INDEX t_a_idx ON t (a); END$$" },
  {
    name: "do block with add column, single-quoted",
    setup: T,
    sql: "DO 'BEGIN ALTER TABLE t ADD COLUMN c text DEFAULT ''x''; END'",
  },
  {
    name: "do block with a type change in an IF",
    setup: T,
    sql: "DO $do$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'x') THEN ALTER TABLE t ALTER COLUMN a TYPE bigint; END IF; END$do$",
  },
  {
    name: "do block with set not null",
    setup: T,
    sql: "DO $$BEGIN ALTER TABLE t ALTER COLUMN a SET NOT NULL; END$$",
  },
  {
    name: "do block with an update and a foreign key",
    setup: TP,
    sql: "DO $$BEGIN UPDATE t SET a = 1 WHERE id = 1; ALTER TABLE t ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES p (id); END$$",
  },
  {
    name: "do block with a constant EXECUTE",
    setup: T,
    sql: "DO $$BEGIN EXECUTE 'TRUNCATE t'; END$$",
  },
  {
    name: "do block that creates a table and indexes it",
    setup: T,
    sql: "DO $$BEGIN CREATE TABLE c (id int); CREATE INDEX c_id ON c (id); PERFORM 1 FROM t; END$$",
  },
  {
    name: "call of a procedure created in the same migration",
    setup: T,
    earlierInTransaction: [
      "CREATE PROCEDURE t_fill() LANGUAGE plpgsql AS $$BEGIN UPDATE t SET a = 0 WHERE id = 1; ALTER TABLE t ADD COLUMN c int; END$$",
    ],
    sql: "CALL t_fill()",
  },
  // SELECT: ACCESS SHARE on what it reads
  { name: "select", setup: TP, sql: "SELECT count(*) FROM t JOIN p ON p.id = t.a" },
  { name: "cluster", setup: [...T, "CREATE INDEX t_a_idx ON t (a)"], sql: "CLUSTER t USING t_a_idx" },

  // LOCK TABLE
  ...LOCK_MODES.map(
    (mode): StatementCase => ({
      name: `lock table ${mode.toLowerCase()}`,
      setup: T,
      sql: `LOCK TABLE t IN ${mode} MODE`,
    }),
  ),
  { name: "lock table (default mode)", setup: T, sql: "LOCK TABLE t" },

  // Data
  { name: "truncate", setup: T, sql: "TRUNCATE t" },
  { name: "update without where", setup: T, sql: "UPDATE t SET a = a + 1" },
  { name: "update with where", setup: T, sql: "UPDATE t SET a = 0 WHERE id = 1" },
  { name: "update from another table", setup: TP, sql: "UPDATE t SET a = p.id FROM p WHERE p.id = t.id" },
  { name: "delete without where", setup: T, sql: "DELETE FROM t" },
  { name: "delete with where", setup: T, sql: "DELETE FROM t WHERE id = 1" },
  { name: "insert values", setup: T, sql: "INSERT INTO t (id, a) VALUES (100, 1)" },
  { name: "insert select", setup: TP, sql: "INSERT INTO p SELECT id + 100 FROM t" },
  {
    name: "merge",
    setup: TP,
    sql: "MERGE INTO t USING p ON p.id = t.id WHEN MATCHED THEN UPDATE SET a = p.id",
    pgMin: 15,
  },

  // Materialized views and views
  { name: "refresh materialized view", setup: MV, sql: "REFRESH MATERIALIZED VIEW mv" },
  {
    name: "refresh materialized view concurrently",
    setup: MV,
    sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
  },
  { name: "create materialized view", setup: T, sql: "CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t" },
  { name: "create view", setup: T, sql: "CREATE VIEW v AS SELECT id, a FROM t" },
  {
    name: "create or replace view",
    setup: [...T, "CREATE VIEW v AS SELECT id, a FROM t"],
    sql: "CREATE OR REPLACE VIEW v AS SELECT id, a, b FROM t",
  },
  { name: "drop view", setup: [...T, "CREATE VIEW v AS SELECT id, a FROM t"], sql: "DROP VIEW v" },
  { name: "drop materialized view", setup: MV, sql: "DROP MATERIALIZED VIEW mv" },
  {
    name: "drop view cascade with dependent views",
    setup: [
      ...T,
      "CREATE VIEW v AS SELECT id, a FROM t",
      "CREATE VIEW w AS SELECT id FROM v",
      "CREATE MATERIALIZED VIEW wm AS SELECT id FROM w",
    ],
    sql: "DROP VIEW v CASCADE",
  },
  {
    name: "drop table cascade with a dependent view",
    setup: [...T, "CREATE VIEW v AS SELECT id, a FROM t"],
    sql: "DROP TABLE t CASCADE",
  },

  // CREATE / DROP TABLE and friends
  { name: "create table", setup: [], sql: "CREATE TABLE n (id bigint PRIMARY KEY, b text)" },
  {
    name: "create table with foreign key",
    setup: P,
    sql: "CREATE TABLE n (id bigint, p_id int REFERENCES p (id))",
  },
  {
    name: "create table partition of",
    setup: M,
    sql: "CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (100) TO (200)",
  },
  { name: "create table inherits", setup: T, sql: "CREATE TABLE c (extra int) INHERITS (t)" },
  { name: "create table as", setup: T, sql: "CREATE TABLE n AS SELECT id, a FROM t" },
  { name: "drop table", setup: T, sql: "DROP TABLE t" },
  {
    name: "drop table with a foreign key",
    setup: [...TP, "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id)"],
    sql: "DROP TABLE t",
  },
  { name: "create sequence", setup: [], sql: "CREATE SEQUENCE s" },
  { name: "create sequence owned by", setup: T, sql: "CREATE SEQUENCE s OWNED BY t.id" },
  { name: "alter sequence", setup: ["CREATE SEQUENCE s"], sql: "ALTER SEQUENCE s RESTART WITH 10" },
  {
    name: "alter sequence owned by",
    setup: [...T, "CREATE SEQUENCE s"],
    sql: "ALTER SEQUENCE s OWNED BY t.id",
  },
  { name: "drop sequence", setup: ["CREATE SEQUENCE s"], sql: "DROP SEQUENCE s" },

  // Types, functions, triggers, policies, comments
  {
    name: "alter type add value",
    setup: ["CREATE TYPE mood AS ENUM ('sad', 'happy')"],
    sql: "ALTER TYPE mood ADD VALUE 'ok'",
  },
  { name: "drop type", setup: ["CREATE TYPE mood AS ENUM ('sad', 'happy')"], sql: "DROP TYPE mood" },
  { name: "drop schema", setup: ["CREATE SCHEMA other"], sql: "DROP SCHEMA other" },
  {
    name: "drop schema cascade",
    setup: ["CREATE SCHEMA other", "CREATE TABLE other.o (id int)"],
    sql: "DROP SCHEMA other CASCADE",
  },
  {
    name: "create function",
    setup: [],
    sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
  },
  {
    name: "drop function",
    setup: ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'"],
    sql: "DROP FUNCTION f()",
  },
  {
    name: "create trigger",
    setup: [...T, TRIGGER_FUNCTION],
    sql: "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()",
  },
  {
    name: "drop trigger",
    setup: [
      ...T,
      TRIGGER_FUNCTION,
      "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()",
    ],
    sql: "DROP TRIGGER t_trg ON t",
  },
  { name: "create policy", setup: T, sql: "CREATE POLICY t_pol ON t USING (a > 0)" },
  {
    name: "alter policy",
    setup: [...T, "CREATE POLICY t_pol ON t USING (a > 0)"],
    sql: "ALTER POLICY t_pol ON t USING (a > 1)",
  },
  {
    name: "drop policy",
    setup: [...T, "CREATE POLICY t_pol ON t USING (a > 0)"],
    sql: "DROP POLICY t_pol ON t",
  },
  {
    name: "disable trigger",
    setup: [
      ...T,
      TRIGGER_FUNCTION,
      "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()",
    ],
    sql: "ALTER TABLE t DISABLE TRIGGER t_trg",
  },
  {
    name: "enable trigger",
    setup: [
      ...T,
      TRIGGER_FUNCTION,
      "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()",
      "ALTER TABLE t DISABLE TRIGGER t_trg",
    ],
    sql: "ALTER TABLE t ENABLE TRIGGER t_trg",
  },
  { name: "enable row level security", setup: T, sql: "ALTER TABLE t ENABLE ROW LEVEL SECURITY" },
  {
    name: "enable row level security with a policy created first",
    setup: T,
    earlierInTransaction: ["CREATE POLICY t_pol ON t USING (a > 0)"],
    sql: "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
  },
  { name: "force row level security", setup: T, sql: "ALTER TABLE t FORCE ROW LEVEL SECURITY" },
  { name: "disable row level security", setup: T, sql: "ALTER TABLE t DISABLE ROW LEVEL SECURITY" },
  { name: "revoke select from public", setup: T, sql: "REVOKE SELECT ON t FROM PUBLIC" },
  {
    name: "revoke all on all tables",
    setup: T,
    sql: "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
  },
  { name: "grant select to public", setup: T, sql: "GRANT SELECT ON t TO PUBLIC" },
  { name: "replica identity full", setup: T, sql: "ALTER TABLE t REPLICA IDENTITY FULL" },
  { name: "replica identity default", setup: T, sql: "ALTER TABLE t REPLICA IDENTITY DEFAULT" },
  {
    name: "replica identity using index",
    setup: [...T, "CREATE UNIQUE INDEX t_id_key ON t (id)"],
    sql: "ALTER TABLE t REPLICA IDENTITY USING INDEX t_id_key",
  },
  { name: "inherit", setup: [...P, ...PC], sql: "ALTER TABLE pc INHERIT p" },
  {
    name: "no inherit",
    setup: [...P, "CREATE TABLE pc () INHERITS (p)", "INSERT INTO pc VALUES (10)"],
    sql: "ALTER TABLE pc NO INHERIT p",
  },
  {
    name: "set access method",
    setup: [...T, "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler"],
    sql: "ALTER TABLE t SET ACCESS METHOD heap2",
    pgMin: 15,
    teardown: ["DROP ACCESS METHOD IF EXISTS heap2"],
  },
  {
    name: "set access method (already there)",
    setup: T,
    sql: "ALTER TABLE t SET ACCESS METHOD heap",
    pgMin: 15,
  },
  {
    name: "alter type rename value",
    setup: ENUM_TABLE,
    sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'",
  },
  {
    name: "create trigger after insert for each statement",
    setup: [...T, TRIGGER_FUNCTION],
    sql: "CREATE TRIGGER t_trg AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION trg()",
  },
  {
    name: "create or replace trigger",
    setup: [
      ...T,
      TRIGGER_FUNCTION,
      "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()",
    ],
    sql: "CREATE OR REPLACE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg()",
  },
  { name: "comment on table", setup: T, sql: "COMMENT ON TABLE t IS 'the table'" },
  { name: "comment on column", setup: T, sql: "COMMENT ON COLUMN t.a IS 'a column'" },
  {
    name: "comment on constraint",
    setup: [...T, "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)"],
    sql: "COMMENT ON CONSTRAINT t_a_check ON t IS 'a constraint'",
  },

  // Partitions
  {
    name: "attach partition",
    setup: [...M, ...M2],
    sql: "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (100) TO (200)",
  },
  {
    name: "attach partition with matching check",
    setup: [...M, ...M2, "ALTER TABLE m2 ADD CONSTRAINT m2_k_bound CHECK (k >= 100 AND k < 200)"],
    sql: "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (100) TO (200)",
  },
  {
    name: "attach partition after a matching check added in the same transaction",
    setup: [...M, ...M2],
    earlierInTransaction: ["ALTER TABLE m2 ADD CONSTRAINT m2_k_bound CHECK (k >= 100 AND k < 200)"],
    sql: "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (100) TO (200)",
  },
  {
    name: "attach partition with a check that does not imply the bound",
    setup: [...M, ...M2, "ALTER TABLE m2 ADD CONSTRAINT m2_id_positive CHECK (id > 0)"],
    sql: "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (100) TO (200)",
  },
  { name: "detach partition", setup: M, sql: "ALTER TABLE m DETACH PARTITION m1" },
  {
    name: "detach partition concurrently",
    setup: M,
    sql: "ALTER TABLE m DETACH PARTITION m1 CONCURRENTLY",
    pgMin: 14,
    inTransaction: false,
    // A reader of the partition alone: the first transaction does not wait for it, the second one queues
    // behind it for its lock on the partition.
    blocker: "SELECT 1 FROM m1 LIMIT 1",
  },
  // Statements on a partitioned table recurse to its partitions.
  { name: "create index on partitioned table", setup: M, sql: "CREATE INDEX m_k_idx ON m (k)" },
  { name: "add column to partitioned table", setup: M, sql: "ALTER TABLE m ADD COLUMN c int" },
  ...PARTITION_CASES,
];
