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
  // EXCLUDE (col WITH op, ...): each element is a list of the index element and its operator.
  const excluded = (constraint.exclusions ?? []).flatMap((e) => {
    const [element] = nodeBody<{ items?: Node[] }>(e, "List")?.items ?? [];
    const name = nodeBody<{ name?: string }>(element, "IndexElem")?.name;
    return name ? [name] : [];
  });
  const fkColumns = stringList(constraint.fk_attrs);
  return {
    name: constraint.conname ?? null,
    kind,
    notValid: constraint.skip_validation === true,
    usingIndex: constraint.indexname ?? null,
    references: constraint.pktable ? relationName(constraint.pktable) : null,
    checksNotNull: kind === "check" ? notNullCheckColumn(constraint.raw_expr) : null,
    columns:
      keys.length > 0
        ? keys
        : fkColumns.length > 0
          ? fkColumns
          : excluded.length > 0
            ? excluded
            : column
              ? [column]
              : [],
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

/**
 * Built-in functions that are STABLE or IMMUTABLE, so a default calling only these is evaluated once
 * (PG11+ stores it as the "missing" value) and the table is not rewritten.
 */
const NON_VOLATILE_FUNCTIONS = new Set([
  "now",
  "transaction_timestamp",
  "statement_timestamp",
  "current_setting",
  "timezone",
  "date_trunc",
  "date_part",
  "make_date",
  "make_time",
  "make_timestamp",
  "make_timestamptz",
  "make_interval",
  "to_timestamp",
  "to_date",
  "to_char",
  "to_json",
  "to_jsonb",
  "json_build_object",
  "jsonb_build_object",
  "json_build_array",
  "jsonb_build_array",
  "array_to_json",
  "lower",
  "upper",
  "concat",
  "length",
  "md5",
  "encode",
  "decode",
  "replace",
  "substring",
  "left",
  "right",
  "btrim",
  "int4range",
  "int8range",
  "numrange",
  "tsrange",
  "tstzrange",
  "daterange",
  "array_fill",
  "current_database",
  "current_schema",
]);

/**
 * Why a default expression makes Postgres compute a value per row (rewriting the table), or null.
 * A function that is neither a known volatile one nor a known stable or immutable built-in is assumed
 * volatile: user-defined functions are VOLATILE unless declared otherwise.
 */
function volatileCall(expr: Node | null): string | null {
  if (!expr) return null;
  const calls = calledFunctions(expr);
  const known = calls.find((name) => VOLATILE_FUNCTIONS.has(name));
  if (known) return `volatile default ${known}()`;
  const unknown = calls.find((name) => !NON_VOLATILE_FUNCTIONS.has(name));
  return unknown
    ? `default calls ${unknown}(), assumed volatile (functions are VOLATILE unless declared STABLE or IMMUTABLE)`
    : null;
}
