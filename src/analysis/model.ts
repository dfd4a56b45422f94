import type { AlterTableCmd, Constraint, Node } from "libpg-query";
import type { Migration } from "../migrations/migration.js";
import type { ColumnType } from "../sql/ast.js";
import type { Phase } from "../sql/directives.js";
import type { SqlStatement } from "../sql/parse.js";
import type { DynamicSql } from "./do-blocks.js";
import type { LockMode } from "./locks.js";

/**
 * Compatibility with the application version still running: `additive` keeps old code working,
 * `contract` breaks code that still uses the old shape, `neutral` neither.
 */
export type CompatClass = "additive" | "contract" | "neutral";

export interface RelationLock {
  /** Display name: schema-qualified only when the schema is not public. */
  relation: string;
  mode: LockMode;
  /** The relation existed before this migration (so it may hold data and serve traffic). */
  existing: boolean;
}

export type ConstraintKind = "check" | "foreign-key" | "unique" | "primary-key" | "exclusion" | "not-null";

/** What an added constraint is, read from its definition. */
export interface ConstraintInfo {
  name: string | null;
  kind: ConstraintKind;
  notValid: boolean;
  /** `... USING INDEX idx` (unique / primary key on an existing index). */
  usingIndex: string | null;
  /** Foreign keys: the referenced table. */
  references: string | null;
  /** A `CHECK (col IS NOT NULL)` names that column. */
  checksNotNull: string | null;
  /** Columns the constraint covers (unique, primary key, foreign key). */
  columns: string[];
  ast: Constraint;
}

/** One `ALTER TABLE` sub-command (or the single action of statements that have no sub-commands). */
export interface CommandEffects {
  /** `AT_AddColumn`, `AT_SetNotNull`, ... */
  subtype: string;
  ast: AlterTableCmd;
  column: string | null;
  mode: LockMode;
  rewrite: boolean;
  scan: boolean;
  buildsIndex: boolean;
  compat: CompatClass;
  /** Why it rewrites or scans, in words ("volatile default random()"). */
  reason: string | null;
  constraint: ConstraintInfo | null;
  /** ADD COLUMN: the column definition's parts. */
  addColumn: AddColumnInfo | null;
  /** ALTER COLUMN TYPE: the type before (from the schema context; null when unknown) and after. */
  typeChange: { from: ColumnType | null; to: ColumnType; using: boolean } | null;
  /** SET NOT NULL: a `CHECK (col IS NOT NULL)` made valid by an earlier statement proves it (no scan). */
  notNullProvenByCheck: boolean;
  /** VALIDATE CONSTRAINT: the constraint was added NOT VALID in the same transaction. */
  validatesConstraintAddedInSameTransaction: boolean;
  /**
   * ATTACH PARTITION: the partition has a CHECK constraint made valid by an earlier statement, taken
   * as matching the bound (an approximation: the expression is not compared with the bound).
   */
  attachProvenByCheck: boolean;
  /**
   * ENABLE ROW LEVEL SECURITY: a CREATE POLICY on the table was seen earlier in the migration set (the
   * policies of tables the set did not create are not known).
   */
  policyKnown: boolean;
}

export interface AddColumnInfo {
  type: ColumnType;
  notNull: boolean;
  /** The default expression (null when none); `volatile` when it rewrites the table on PG11+. */
  defaultExpression: Node | null;
  volatileDefault: string | null;
  identity: boolean;
  generatedStored: boolean;
  serial: boolean;
  primaryKey: boolean;
  unique: boolean;
  references: string | null;
  /**
   * The inline REFERENCES is checked against every existing row. Postgres skips that check when the
   * column has no default expression at all (every value is NULL); any DEFAULT (even `DEFAULT NULL`),
   * a serial type or a generated expression makes it validate. (Identity columns are not checked.)
   */
  referencesValidated: boolean;
  check: boolean;
}

export type TransactionControl = "begin" | "commit" | "rollback" | "savepoint" | "other";

/** Everything safemigrate knows about one statement: the single model used by lint, plan and the runner. */
export interface StatementEffects {
  /** The parse node type (`IndexStmt`, `AlterTableStmt`, ...); `Invalid` for a syntax error. */
  kind: string;
  /** A short label for output ("CREATE INDEX", "ALTER TABLE ADD COLUMN"). */
  action: string;
  /** The main relation, if any. */
  target: string | null;
  /** Table-level locks, strongest mode per relation. */
  locks: RelationLock[];
  /** Relations rewritten (new relfilenode) under the lock. */
  rewrites: string[];
  /** Relations read in full under the lock (validation scans). */
  scans: string[];
  buildsIndex: boolean;
  /**
   * Written in its CONCURRENTLY form, as Postgres reads it (CREATE / DROP INDEX, REINDEX with its option
   * list, DETACH PARTITION, REFRESH MATERIALIZED VIEW).
   */
  concurrent: boolean;
  /** Can run inside a transaction block. */
  transactional: boolean;
  compat: CompatClass;
  commands: CommandEffects[];
  /** Relations (tables, views, indexes, sequences) this statement creates. */
  creates: string[];
  /** Relations and other objects this statement drops. */
  drops: string[];
  /**
   * Those of `drops` that running code may use: tables, views, sequences, schemas, types, domains and
   * routines that existed before this migration and are not created again later in the same transaction.
   * A DROP is a contract change exactly when this is not empty.
   */
  dropsInUse: string[];
  dataChange: { table: string; hasWhere: boolean; kind: "update" | "delete" | "insert" } | null;
  transactionControl: TransactionControl | null;
  /** `SET lock_timeout` / `SET statement_timeout` seen in this statement. */
  setsTimeout: "lock_timeout" | "statement_timeout" | null;
  /** ALTER TYPE ... ADD VALUE. */
  enumValueAdded: { type: string; value: string } | null;
  /**
   * The kind of object a DROP, RENAME, ALTER TABLE (ALTER INDEX, ALTER VIEW, ...) or REINDEX acts on, in
   * Postgres's words ("table", "index", "materialized view", "schema"); null for other statements.
   */
  objectKind: string | null;
  /**
   * The indexes a DROP INDEX or REINDEX INDEX names, each with its table when the schema context
   * knows it: the statement locks that table through the index.
   */
  indexes: Array<{ index: string; table: string | null }>;
  /** RENAME of a table or column, so later statements find it under the new name. */
  renamed: { kind: "table" | "column"; table: string; from: string; to: string } | null;
  /**
   * A non-relation object this statement creates (type, domain, function, procedure, schema), with
   * the DropStmt object kind that drops it (`OBJECT_TYPE`...), so a later DROP of it in the same
   * migration is known not to touch anything running code uses.
   */
  createdObject?: { kind: string; name: string };
  /** CREATE TABLE ... PARTITION BY (its key columns; null when the key has an expression) / PARTITION OF. */
  partitioning?: { key?: string[] | null; parent?: string };
  /** CREATE INDEX: its key columns in order (null for an expression), for a later ADD ... USING INDEX. */
  indexColumns?: Array<string | null>;
  /** The statement is on a partitioned table and Postgres applies it to every partition too. */
  partitioned?: PartitionTree;
  /**
   * Why the statement, on a partitioned table, has no safe route through its partitions (src/analysis/
   * partition-routes.ts); absent when it has one or needs none.
   */
  noPartitionRoute?: string;
  /**
   * What the model does not prove about this statement (a statement kind it does not know, or a known
   * gap such as the objects a DROP SCHEMA ... CASCADE takes with it); absent when it is fully described.
   */
  unmodelled?: string;
  /** Why the statement has no CONCURRENTLY form Postgres accepts (REINDEX of an exclusion index). */
  noConcurrentForm?: string;
  /** GRANT / REVOKE of privileges or of a role membership. */
  privilegeChange?: PrivilegeChange;
}

/** What a GRANT or REVOKE changes. */
export interface PrivilegeChange {
  revoke: boolean;
  /** Postgres's words for the objects ("table", "function", "all tables in schema", "role"). */
  objectKind: string;
  /** The objects named (schemas for `ALL ... IN SCHEMA`, roles for a membership). */
  objects: string[];
  /** Those of `objects` that existed before this migration (running code may use them). */
  existing: string[];
  /** Upper case (`SELECT`, `ALL`), `membership` for a role. */
  privileges: string[];
  /** Role names, `PUBLIC`. */
  grantees: string[];
}

/** A partitioned table and its partitions (recursively), as far as the schema context knows them. */
export interface PartitionTree {
  table: string;
  /** False for a leaf partition (a table with storage). */
  partitioned: boolean;
  /** Partition key columns; null when unknown or when the key has an expression. */
  key: string[] | null;
  /** Every partition of this table is known (the set created it, or the catalog listed it). */
  complete: boolean;
  partitions: PartitionTree[];
}

/** A partitioned table as the catalog lists it (`up`, `plan --database-url`). */
export interface CatalogPartitionedTable {
  table: string;
  key: string[] | null;
  partitions: string[];
  /** Its NOT NULL columns. */
  notNull: string[];
}

/** A group of statements that run in one transaction. */
export interface TransactionGroup {
  id: number;
  /** Opened by an explicit BEGIN in the file. */
  explicit: boolean;
  statements: AnalyzedStatement[];
}

export interface AnalyzedStatement {
  sql: SqlStatement;
  migration: Migration;
  effects: StatementEffects;
  phase: Phase;
  transaction: TransactionGroup;
  /**
   * A DO block: the statements written in its body, described in order with the schema context of the
   * moment (its own effects are theirs together), and the EXECUTEs of SQL built at run time.
   */
  inner?: AnalyzedStatement[];
  dynamic?: DynamicSql[];
  /** A statement of a DO block's body (or of a CALLed procedure's): that block. */
  within?: AnalyzedStatement;
}

export interface AnalyzedMigration {
  migration: Migration;
  statements: AnalyzedStatement[];
  /** Phase markers are used in the file. */
  explicitPhases: boolean;
  noTransaction: boolean;
}
