/**
 * The SQL pieces the recipes share: quoted names, user expressions and types checked by the parser, the
 * NOT NULL check-constraint route, the backfill directive, and indexes and constraints of one column
 * recreated for another by the safe routes (parse trees edited and printed, never SQL text).
 */
import type { Node } from "libpg-query";
import { qualified, quoteIdent } from "../db/ident.js";
import { UsageError } from "../errors.js";
import { nodeBody, stringList, walk } from "../sql/ast.js";
import { backfillDirective } from "../sql/backfill.js";
import { byteLength, MAX_IDENTIFIER_BYTES, quoteIdentIfNeeded } from "../sql/identifier.js";
import { parseOneStatement } from "../sql/parse.js";
import { printStatement } from "../steps/deparse.js";
import { makeObjectName } from "../steps/pg-names.js";
import type { ColumnFacts, ConstraintFacts, IndexFacts, TableFacts } from "./catalog.js";

export const tableSql = (t: Pick<TableFacts, "schema" | "name">) => qualified(t.schema, t.name);
export const col = quoteIdent;

/** A value expression given on the command line, checked to be exactly one expression. */
export function expression(text: string, flag: string): string {
  const select = nodeBody<{ targetList?: Node[]; fromClause?: Node[] }>(
    parseOneStatement(`SELECT ${text}`) ?? undefined,
    "SelectStmt",
  );
  const ok =
    select &&
    select.targetList?.length === 1 &&
    !select.fromClause &&
    !/;/.test(text.replace(/'[^']*'/g, ""));
  if (!ok) throw new UsageError(`${flag}: '${text}' is not one SQL expression`);
  return text.trim();
}

/** A type given on the command line, checked to be exactly one type name. */
export function typeName(text: string, flag: string): string {
  const ok = parseOneStatement(`SELECT NULL::${text}`) !== null && !/[;]/.test(text);
  if (!ok) throw new UsageError(`${flag}: '${text}' is not a type name`);
  return text.trim();
}

/** `expr` with every reference to column `from` replaced by `to` (a column name, or `["NEW", name]`). */
export function renameRefs(expr: string, from: string, to: string[]): string {
  const ast = parseOneStatement(`SELECT ${expr}`) as Node;
  walk(ast, (type, body) => {
    if (type !== "ColumnRef") return;
    const names = stringList(body.fields as Node[]);
    if (names.at(-1) === from && names.length <= 2) body.fields = to.map((sval) => ({ String: { sval } }));
  });
  return printStatement(ast).replace(/^SELECT /, "");
}

/** Name of a NOT NULL check constraint, as Postgres would name `CHECK (col IS NOT NULL)` plus `_not_null`. */
export function notNullCheckName(table: string, column: string): string {
  return makeObjectName(table, column, "not_null");
}

/**
 * NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK added NOT VALID (checked for new writes at once),
 * validated under SHARE UPDATE EXCLUSIVE, then SET NOT NULL (Postgres 12+ skips the scan), then the CHECK
 * dropped. `add` goes before a backfill, so that no NULL is written meanwhile; `rest` after it.
 */
export function notNullRoute(table: TableFacts, column: string): { add: string[]; rest: string[] } {
  const t = tableSql(table);
  const check = quoteIdent(notNullCheckName(table.name, column));
  return {
    add: [`ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${col(column)} IS NOT NULL) NOT VALID;`],
    rest: [
      `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`,
      `ALTER TABLE ${t} ALTER COLUMN ${col(column)} SET NOT NULL;`,
      `ALTER TABLE ${t} DROP CONSTRAINT ${check};`,
    ],
  };
}

/** A name in the backfill directive, which people read: quoted only where Postgres needs it. */
export const bare = quoteIdentIfNeeded;

/**
 * `-- safemigrate:backfill ...`: the runner updates the rows in batches, one short transaction each. `set`
 * and `where` name columns with `bare`.
 */
export function backfill(table: TableFacts, set: string, where: string): string {
  return backfillDirective({ table: `${bare(table.schema)}.${bare(table.name)}`, set, where });
}

/** `name` with `from` replaced by `to` where it contains it, else `table_to_label`; at most 63 bytes. */
export function renamedObject(name: string, from: string, to: string, table: string, label: string): string {
  const replaced = name.includes(from) ? name.replace(from, to) : null;
  if (replaced !== null && byteLength(replaced) <= MAX_IDENTIFIER_BYTES && replaced !== name) return replaced;
  return makeObjectName(table, to, label);
}

/** The statement of `sql` with every column `from` of its table named `to`; `edit` changes it further. */
function edited(sql: string, from: string, to: string, edit: (ast: Node) => void): string {
  const ast = parseOneStatement(sql) as Node;
  walk(ast, (type, body) => {
    if (type === "ColumnRef") {
      const names = stringList(body.fields as Node[]);
      if (names.at(-1) === from && names.length === 1) body.fields = [{ String: { sval: to } }];
    }
    if (type === "IndexElem" && body.name === from) body.name = to;
  });
  edit(ast);
  return printStatement(ast);
}

export interface Recreated {
  /** Built while both application versions run (concurrent index builds, NOT VALID then VALIDATE). */
  expand: string[];
  /** After the old column is dropped (a primary key moved to the new column's index). */
  contract: string[];
  /** The new objects and the names of the old ones they replace (dropping a column drops both kinds with it). */
  renames: Array<{ kind: "index" | "constraint"; name: string; was: string }>;
}

/**
 * Each index and each check, unique, primary key and foreign key constraint on column `from`, built for
 * column `to` by the safe routes: `CREATE [UNIQUE] INDEX CONCURRENTLY`, `ADD CONSTRAINT ... USING INDEX`,
 * `NOT VALID` then `VALIDATE`. A primary key cannot have a twin: its unique index is built in the expand
 * and becomes the primary key in the contract, once the old column is gone.
 */
export function recreateFor(table: TableFacts, from: ColumnFacts, to: string, flag: string): Recreated {
  const out: Recreated = { expand: [], contract: [], renames: [] };
  const t = tableSql(table);
  const uses = (columns: number[]) => columns.includes(from.attnum);
  const constraintIndexes = new Set<string>();
  for (const c of table.constraints.filter((c) => uses(c.columns))) {
    if (table.partitioned && c.type !== "c")
      throw new UsageError(
        `${flag}: constraint ${c.name} on ${from.name} of partitioned table ${table.schema}.${table.name} has no safe route the recipe can write (Postgres has no USING INDEX${c.type === "f" ? " and, before 18, no NOT VALID foreign key" : ""} on a partitioned table): move it by hand`,
      );
    const name = renamedObject(c.name, from.name, to, table.name, labelOf(c));
    if (c.type === "u" || c.type === "p") {
      const index = table.indexes.find((i) => i.name === c.index) as IndexFacts;
      constraintIndexes.add(index.name);
      const indexName = c.type === "p" ? renamedObject(index.name, from.name, to, table.name, "key") : name;
      out.expand.push(indexSql(index, from.name, to, indexName));
      const attach = `ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(c.type === "p" ? c.name : name)} ${c.type === "p" ? "PRIMARY KEY" : "UNIQUE"} USING INDEX ${quoteIdent(indexName)};`;
      (c.type === "p" ? out.contract : out.expand).push(attach);
      if (c.type === "u") out.renames.push({ kind: "constraint", name, was: c.name });
    } else if (c.type === "c" || c.type === "f") {
      out.expand.push(
        constraintSql(t, c, from.name, to, name),
        `ALTER TABLE ${t} VALIDATE CONSTRAINT ${quoteIdent(name)};`,
      );
      out.renames.push({ kind: "constraint", name, was: c.name });
    }
  }
  for (const index of table.indexes) {
    if (!uses(index.columns) || constraintIndexes.has(index.name) || index.constraint) continue;
    const name = renamedObject(index.name, from.name, to, table.name, "idx");
    out.expand.push(
      ...(table.partitioned
        ? partitionedIndexSql(table, index, from.name, to, name, flag)
        : [indexSql(index, from.name, to, name)]),
    );
    out.renames.push({ kind: "index", name, was: index.name });
  }
  return out;
}

function labelOf(c: ConstraintFacts): string {
  return c.type === "f" ? "fkey" : c.type === "c" ? "check" : c.type === "p" ? "pkey" : "key";
}

/**
 * The index built concurrently under its new name. pg_get_indexdef spells a partitioned table's index
 * `ON ONLY` the parent; written for the whole table, plan and up build it through the partitions (Postgres
 * has no CONCURRENTLY on a parent).
 */
function indexSql(index: IndexFacts, from: string, to: string, name: string): string {
  return `${edited(index.definition, from, to, (ast) => {
    const body = nodeBody<{ idxname?: string; concurrent?: boolean; relation?: { inh?: boolean } }>(
      ast,
      "IndexStmt",
    );
    if (body) {
      body.idxname = name;
      body.concurrent = true;
      if (body.relation) body.relation.inh = true;
    }
  })};`;
}

/**
 * An index of a partitioned table built as plan and up build one (Postgres has no CONCURRENTLY on a
 * parent): an INVALID index ON ONLY the parent, each partition's built CONCURRENTLY, then attached (the
 * parent's index becomes valid with the last one).
 */
function partitionedIndexSql(
  table: TableFacts,
  index: IndexFacts,
  from: string,
  to: string,
  name: string,
  flag: string,
): string[] {
  const nested = table.partitions.find((p) => p.partitioned);
  if (nested)
    throw new UsageError(
      `${flag}: index ${index.name} of ${table.schema}.${table.name}: partition ${nested.schema}.${nested.name} is partitioned again, which the recipe does not build through; move the index by hand`,
    );
  const parent = `${edited(index.definition, from, to, (ast) => {
    const body = nodeBody<IndexNode>(ast, "IndexStmt");
    if (body) {
      body.idxname = name;
      // ON ONLY: the parser leaves a false `inh` out.
      if (body.relation) delete body.relation.inh;
    }
  })};`;
  const parts = table.partitions.flatMap((partition) => {
    const child = makeObjectName(partition.name, to, "idx");
    const build = `${edited(index.definition, from, to, (ast) => {
      const body = nodeBody<IndexNode>(ast, "IndexStmt");
      if (body) {
        body.idxname = child;
        body.concurrent = true;
        body.relation = {
          ...body.relation,
          schemaname: partition.schema,
          relname: partition.name,
          inh: true,
        };
      }
    })};`;
    return [
      build,
      `ALTER INDEX ${qualified(table.schema, name)} ATTACH PARTITION ${qualified(partition.schema, child)};`,
    ];
  });
  return [parent, ...parts];
}

type IndexNode = {
  idxname?: string;
  concurrent?: boolean;
  relation?: { inh?: boolean; schemaname?: string; relname?: string };
};

function constraintSql(table: string, c: ConstraintFacts, from: string, to: string, name: string): string {
  const sql = `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} ${c.definition}`;
  const ast = parseOneStatement(sql) as Node;
  const constraint = findConstraint(ast);
  if (constraint) {
    constraint.skip_validation = true;
    constraint.initially_valid = false;
    if (constraint.contype === "CONSTR_FOREIGN") {
      // Only this table's columns are renamed, not the referenced ones.
      constraint.fk_attrs = (constraint.fk_attrs ?? []).map((n) =>
        stringList([n])[0] === from ? { String: { sval: to } } : n,
      );
      return `${printStatement(ast)};`;
    }
  }
  return `${edited(printStatement(ast), from, to, () => {})};`;
}

type ConstraintNode = {
  contype?: string;
  skip_validation?: boolean;
  initially_valid?: boolean;
  fk_attrs?: Node[];
};

function findConstraint(ast: Node): ConstraintNode | undefined {
  let found: ConstraintNode | undefined;
  walk(ast, (type, body) => {
    if (type === "Constraint") found ??= body as ConstraintNode;
  });
  return found;
}
