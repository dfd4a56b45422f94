import type {
  ColumnRef,
  CreateDomainStmt,
  CreateEnumStmt,
  CreateFunctionStmt,
  CreateRangeStmt,
  CreateTableAsStmt,
  DropStmt,
  FuncCall,
  FunctionParameter,
  Node,
  ObjectWithArgs,
  ResTarget,
  SelectStmt,
  TypeName,
  ViewStmt,
} from "libpg-query";
import { columnType, dottedName, formatColumnType, nodeBody, relationName, stringList } from "../sql/ast.js";
import type { AnalyzedStatement, StatementEffects, TransactionGroup } from "./model.js";

/**
 * Objects dropped and created again later in the same transaction. Running code never sees them missing:
 * the DROP's ACCESS EXCLUSIVE lock (or its lock on the catalog entry) makes other sessions wait until the
 * COMMIT, when the new object is there (measured on Postgres 14 and 18). Only for objects that hold no
 * data: views, populated materialized views, functions, procedures, enum and range types, domains. A
 * table, sequence or schema created again is empty, so its DROP stays a contract change; so does a
 * composite type's: it is a relation, and a query that waited for it fails with "could not open relation".
 */

/** What identifies an object for a later CREATE to replace it (Postgres: name, and a routine's input types). */
interface ObjectKey {
  family: "view" | "matview" | "function" | "procedure" | "type" | "domain";
  name: string;
  /** A routine's input argument types; null when the DROP gives no argument list (it names one routine). */
  args: string[] | null;
  /** A view's output columns, when the SQL names them all. */
  columns: string[] | null;
}

/** The output columns of the views and materialized views a migration set created, as far as known. */
export type ViewColumns = Pick<ReadonlyMap<string, string[] | null>, "get">;

const DROP_FAMILIES: Record<string, Array<ObjectKey["family"]>> = {
  OBJECT_VIEW: ["view"],
  OBJECT_MATVIEW: ["matview"],
  OBJECT_FUNCTION: ["function"],
  OBJECT_PROCEDURE: ["procedure"],
  OBJECT_ROUTINE: ["function", "procedure"],
  OBJECT_TYPE: ["type"],
  OBJECT_DOMAIN: ["domain"],
};

/**
 * Takes the objects a DROP of the group drops, and the group creates again after it, out of the DROP's
 * `dropsInUse` (and its compatibility class), so that no rule reports them as removed. A view created
 * again without a column it had (`before`: the columns known before this migration) is not the same to
 * the code that reads that column, and stays in.
 */
export function forgiveRecreatedDrops(group: TransactionGroup, before: ViewColumns): void {
  group.statements.forEach((statement, index) => {
    const drop = nodeBody<DropStmt>(statement.sql.ast ?? undefined, "DropStmt");
    const families = DROP_FAMILIES[drop?.removeType ?? ""];
    if (!drop || !families || statement.effects.dropsInUse.length === 0) return;
    const views = families.includes("view") || families.includes("matview");
    // CASCADE also drops what depends on the object: only views that depend on a view are known (and are
    // in `drops` after the named objects), so only a view's CASCADE can be proven harmless.
    if (drop.behavior === "DROP_CASCADE" && !views) return;
    const created = createdLater(group.statements, index + 1);
    const keepsColumns = (key: ObjectKey) => {
      const old = before.get(key.name);
      return !old || !key.columns || old.every((c) => key.columns?.includes(c));
    };
    const named = (drop.objects ?? []).map((object, i) => ({
      name: statement.effects.drops[i] ?? "",
      matches: (key: ObjectKey) =>
        families.includes(key.family) &&
        key.name === statement.effects.drops[i] &&
        sameArgs(object, key) &&
        keepsColumns(key),
    }));
    const dependents = statement.effects.drops.slice(named.length).map((name) => ({
      name,
      matches: (key: ObjectKey) =>
        (key.family === "view" || key.family === "matview") && key.name === name && keepsColumns(key),
    }));
    const missing = new Set(
      [...named, ...dependents].filter((o) => !created.some(o.matches)).map((o) => o.name),
    );
    forgive(statement.effects, missing);
  });
}

function forgive(effects: StatementEffects, missing: Set<string>): void {
  effects.dropsInUse = effects.dropsInUse.filter((name) => missing.has(name));
  if (effects.dropsInUse.length === 0) effects.compat = "neutral";
}

/** A DROP's argument list against a CREATE FUNCTION's input types (typmods do not count, as in Postgres). */
function sameArgs(object: Node, key: ObjectKey): boolean {
  const routine = nodeBody<ObjectWithArgs>(object, "ObjectWithArgs");
  if (!routine || routine.args_unspecified || key.args === null) return true;
  const args = (routine.objargs ?? []).map((n) => typeKey(nodeBody<TypeName>(n, "TypeName")));
  return args.join(",") === key.args.join(",");
}

function typeKey(typeName: TypeName | undefined): string {
  return formatColumnType({ ...columnType(typeName), modifiers: [] });
}

/**
 * The objects the statements from `from` on create, up to the first one that `up`'s safe rewrites may move into a
 * transaction of its own (an index build, a validation scan, DROP INDEX, an added enum value): after it,
 * the object would be missing between two commits.
 */
function createdLater(statements: AnalyzedStatement[], from: number): ObjectKey[] {
  let keys: ObjectKey[] = [];
  // From an index rather than a slice: a copy of the rest of a long transaction for every DROP was quadratic.
  for (let i = from; i < statements.length; i++) {
    const { effects, sql } = statements[i] as AnalyzedStatement;
    if (mayRunApart(effects)) break;
    const key = createdKey(sql.ast ?? undefined);
    if (key) keys.push(key);
    // Dropped again: gone at COMMIT after all (that DROP is of an object this migration created, so no
    // rule reports it).
    keys = keys.filter((k) => !effects.drops.includes(k.name));
  }
  return keys;
}

function mayRunApart(effects: StatementEffects): boolean {
  return (
    effects.buildsIndex ||
    effects.scans.length > 0 ||
    effects.enumValueAdded !== null ||
    effects.action === "DROP INDEX"
  );
}

function createdKey(ast: Node | undefined): ObjectKey | null {
  const view = createdView(ast);
  // WITH NO DATA leaves a materialized view unreadable ("has not been populated") until a REFRESH.
  if (view && !view.unpopulated)
    return { family: view.family, name: view.name, args: null, columns: view.columns };
  const routine = nodeBody<CreateFunctionStmt>(ast, "CreateFunctionStmt");
  if (routine) {
    const inputs = (routine.parameters ?? [])
      .map((p) => nodeBody<FunctionParameter>(p, "FunctionParameter"))
      .filter((p) => p?.mode !== "FUNC_PARAM_OUT" && p?.mode !== "FUNC_PARAM_TABLE");
    return {
      family: routine.is_procedure ? "procedure" : "function",
      name: dottedName(routine.funcname),
      args: inputs.map((p) => typeKey(p?.argType)),
      columns: null,
    };
  }
  const type =
    nodeBody<CreateEnumStmt | CreateRangeStmt>(ast, "CreateEnumStmt") ?? nodeBody(ast, "CreateRangeStmt");
  if (type) return { family: "type", name: dottedName(type.typeName), args: null, columns: null };
  const domain = nodeBody<CreateDomainStmt>(ast, "CreateDomainStmt");
  if (domain) return { family: "domain", name: dottedName(domain.domainname), args: null, columns: null };
  return null;
}

/** A CREATE [OR REPLACE] VIEW or CREATE MATERIALIZED VIEW: its name and output columns. */
export function createdView(ast: Node | undefined): {
  family: "view" | "matview";
  name: string;
  columns: string[] | null;
  unpopulated: boolean;
} | null {
  const view = nodeBody<ViewStmt>(ast, "ViewStmt");
  if (view)
    return {
      family: "view",
      name: relationName(view.view),
      columns: outputColumns(view.aliases, view.query),
      unpopulated: false,
    };
  const matview = nodeBody<CreateTableAsStmt>(ast, "CreateTableAsStmt");
  if (matview?.objtype !== "OBJECT_MATVIEW") return null;
  return {
    family: "matview",
    name: relationName(matview.into?.rel),
    columns: outputColumns(matview.into?.colNames, matview.query),
    unpopulated: matview.into?.skipData === true,
  };
}

/**
 * The output column names of a view's query, as Postgres names them: the view's column list first, then
 * each target's alias, column or function name (the left-most query of a UNION); null when one is
 * named otherwise (`*`, an expression without an alias).
 */
function outputColumns(aliases: Node[] | undefined, query: Node | undefined): string[] | null {
  let select = nodeBody<SelectStmt>(query, "SelectStmt");
  while (select?.larg) select = select.larg;
  const names = (select?.targetList ?? []).map((node) => {
    const target = nodeBody<ResTarget>(node, "ResTarget");
    if (target?.name) return target.name;
    const ref = nodeBody<ColumnRef>(target?.val, "ColumnRef");
    const field = ref?.fields?.at(-1);
    if (field) return nodeBody<{ sval?: string }>(field, "String")?.sval ?? null;
    const call = nodeBody<FuncCall>(target?.val, "FuncCall");
    return call ? (stringList(call.funcname).at(-1) ?? null) : null;
  });
  const listed = stringList(aliases);
  const columns = names.map((name, i) => listed[i] ?? name);
  return select && columns.every((c): c is string => c !== null) ? columns : null;
}
