import type { ColumnDef, Constraint, Node } from "libpg-query";
import { calledFunctions, columnType, nodeBody, relationName, stringList } from "../../sql/ast.js";
import type { AddColumnInfo, ConstraintInfo, ConstraintKind } from "../model.js";

/** Functions whose value differs per row, so a default that calls one is computed for every row. */
const VOLATILE_FUNCTIONS = new Set([
  "random",
  "gen_random_uuid",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "uuidv4",
  "uuidv7",
  "clock_timestamp",
  "timeofday",
  "nextval",
  "setseed",
  "txid_current",
  "random_normal",
]);

const SERIAL_TYPES = new Set(["serial2", "serial4", "serial8"]);

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  CONSTR_CHECK: "check",
  CONSTR_FOREIGN: "foreign-key",
  CONSTR_UNIQUE: "unique",
  CONSTR_PRIMARY: "primary-key",
  CONSTR_EXCLUSION: "exclusion",
  CONSTR_NOTNULL: "not-null",
};

export function constraintInfo(constraint: Constraint, column: string | null = null): ConstraintInfo | null {
  const kind = CONSTRAINT_KINDS[constraint.contype ?? ""];
  if (!kind) return null;
  const keys = stringList(constraint.keys);
  const fkColumns = stringList(constraint.fk_attrs);
  return {
    name: constraint.conname ?? null,
    kind,
    notValid: constraint.skip_validation === true,
    usingIndex: constraint.indexname ?? null,
    references: constraint.pktable ? relationName(constraint.pktable) : null,
    checksNotNull: kind === "check" ? notNullCheckColumn(constraint.raw_expr) : null,
    columns: keys.length > 0 ? keys : fkColumns.length > 0 ? fkColumns : column ? [column] : [],
    ast: constraint,
  };
}

/** `col IS NOT NULL` (the exact shape Postgres 12+ uses to skip the SET NOT NULL scan). */
function notNullCheckColumn(expr: Node | undefined): string | null {
  const test = nodeBody<{ arg?: Node; nulltesttype?: string }>(expr, "NullTest");
  if (test?.nulltesttype !== "IS_NOT_NULL") return null;
  const ref = nodeBody<{ fields?: Node[] }>(test?.arg, "ColumnRef");
  return ref ? (stringList(ref.fields).at(-1) ?? null) : null;
}

/** The constraints written inline in a column definition. */
export function columnConstraints(def: ColumnDef): Constraint[] {
  return (def.constraints ?? []).flatMap((c) => {
    const body = nodeBody<Constraint>(c, "Constraint");
    return body ? [body] : [];
  });
}

export function describeColumn(def: ColumnDef): AddColumnInfo {
  const type = columnType(def.typeName);
  const constraints = columnConstraints(def);
  const has = (contype: string) => constraints.some((c) => c.contype === contype);
  const defaultExpression =
    constraints.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr ?? def.raw_default ?? null;
  const isNullDefault =
    defaultExpression !== null &&
    nodeBody<{ isnull?: boolean }>(defaultExpression, "A_Const")?.isnull === true;
  const serial = SERIAL_TYPES.has(type.name);
  const generated = constraints.find((c) => c.contype === "CONSTR_GENERATED");
  const fk = constraints.find((c) => c.contype === "CONSTR_FOREIGN");
  return {
    type,
    notNull: has("CONSTR_NOTNULL") || has("CONSTR_PRIMARY") || def.is_not_null === true,
    defaultExpression: isNullDefault ? null : defaultExpression,
    volatileDefault: serial ? `${type.name} column (nextval default)` : volatileCall(defaultExpression),
    identity: has("CONSTR_IDENTITY"),
    // Postgres 18 adds VIRTUAL generated columns, which store nothing; STORED ones are computed per row.
    generatedStored: generated !== undefined && generated.generated_kind !== "v",
    serial,
    primaryKey: has("CONSTR_PRIMARY"),
    unique: has("CONSTR_UNIQUE"),
    references: fk?.pktable ? relationName(fk.pktable) : null,
    referencesValidated:
      fk !== undefined && (serial || generated !== undefined || defaultExpression !== null),
    check: has("CONSTR_CHECK"),
  };
}

function volatileCall(expr: Node | null): string | null {
  if (!expr) return null;
  const call = calledFunctions(expr).find((name) => VOLATILE_FUNCTIONS.has(name));
  return call ? `volatile default ${call}()` : null;
}
