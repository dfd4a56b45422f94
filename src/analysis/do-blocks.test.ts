import { describe, expect, it } from "vitest";
import { lintSql, migrationFromSql } from "../../test/support/lint.js";
import { Analyzer } from "./analyze.js";

const at = (sql: string, rule: string) =>
  lintSql(sql)
    .filter((f) => f.rule === rule)
    .map((f) => [f.line, f.column, f.endLine, f.endColumn]);

describe("statements inside DO blocks", () => {
  it("gets the findings of a CREATE INDEX and an ALTER TABLE at their own lines and columns", () => {
    const sql = [
      "DO $$",
      "BEGIN",
      "  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'users_email') THEN",
      "    CREATE INDEX users_email ON users (email);",
      "  END IF;",
      "  ALTER TABLE users",
      "    ALTER COLUMN email SET NOT NULL;",
      "END",
      "$$;",
    ].join("\n");
    expect(at(sql, "create-index-non-concurrent")).toEqual([[4, 5, 4, 46]]);
    expect(at(sql, "set-not-null-full-scan")[0]?.slice(0, 2)).toEqual([6, 3]);
  });

  it("maps positions through single-quoted and E'' bodies with escapes", () => {
    const quoted = "DO 'BEGIN UPDATE users SET plan = ''free''; CREATE INDEX i ON users (plan); END';";
    expect(at(quoted, "create-index-non-concurrent")).toEqual([[1, 45, 1, 75]]);
    expect(at(quoted, "unbatched-data-change")).toEqual([[1, 11, 1, 43]]);
    const escaped = "DO E'BEGIN\\n  CREATE INDEX i ON users (plan);\\nEND';";
    expect(at(escaped, "create-index-non-concurrent")).toEqual([[1, 15, 1, 45]]);
  });

  it("finds statements in loops, nested blocks and exception handlers, and PERFORM's reads", () => {
    const sql = `DO $body$
DECLARE r record;
BEGIN
  FOR r IN SELECT id FROM accounts LOOP
    BEGIN
      ALTER TABLE accounts ADD COLUMN plan text DEFAULT random()::text;
    EXCEPTION WHEN duplicate_column THEN
      DROP INDEX accounts_plan;
    END;
  END LOOP;
  PERFORM 1 FROM users LIMIT 1;
END $body$;`;
    // The rule points at the ADD COLUMN clause.
    expect(at(sql, "add-column-rewrite").map((p) => p.slice(0, 2))).toEqual([[6, 28]]);
    expect(at(sql, "drop-index-non-concurrent").map((p) => p.slice(0, 2))).toEqual([[8, 7]]);
    const [block] = new Analyzer(14).analyze(migrationFromSql(sql)).statements;
    expect(block?.inner?.map((s) => s.effects.action)).toEqual([
      "ALTER TABLE ADD COLUMN",
      "DROP INDEX",
      "SELECT",
    ]);
    expect(block?.effects.locks.map((l) => [l.relation, l.mode])).toEqual([
      ["accounts", "AccessExclusiveLock"],
      ["accounts_plan", "AccessExclusiveLock"],
      ["users", "AccessShareLock"],
    ]);
    expect(block?.effects.rewrites).toEqual(["accounts"]);
  });

  it("reads a constant EXECUTE and reports SQL built at run time at its line", () => {
    const sql = [
      "DO $$",
      "BEGIN",
      "  EXECUTE 'CREATE INDEX i ON users (email)';",
      "  EXECUTE format('ALTER TABLE %I ADD COLUMN c int', 'users');",
      "  EXECUTE 'DROP TABLE ' || 'old_users';",
      "END $$;",
    ].join("\n");
    expect(at(sql, "create-index-non-concurrent").map((p) => p.slice(0, 2))).toEqual([[3, 12]]);
    const dynamic = lintSql(sql).filter((f) => f.rule === "dynamic-sql");
    expect(dynamic.map((f) => [f.severity, f.line, f.column])).toEqual([
      ["warning", 4, 11],
      ["warning", 5, 11],
    ]);
    expect(dynamic[0]?.message).toContain("EXECUTE format('ALTER TABLE %I ADD COLUMN c int', 'users')");
  });

  it("knows a table the block creates is new, and what follows the block knows it too", () => {
    const sql = [
      "DO $$ BEGIN CREATE TABLE events (id bigint); CREATE INDEX events_id ON events (id); END $$;",
      "CREATE INDEX events_id2 ON events (id);",
    ].join("\n");
    expect(lintSql(sql).filter((f) => f.severity === "error")).toEqual([]);
  });

  it("lets an ignore directive above the block silence its statements", () => {
    const sql =
      "-- safemigrate:ignore create-index-non-concurrent -- empty table\nDO $$ BEGIN CREATE INDEX i ON users (a); END $$;";
    expect(lintSql(sql).map((f) => f.rule)).toEqual(["missing-lock-timeout"]);
  });

  it("reports a rule once: on the statement in the block, not again on the block", () => {
    const sql = "DO $$ BEGIN ALTER TABLE users DROP COLUMN a; END $$;";
    expect(lintSql(sql).filter((f) => f.rule === "drop-column")).toHaveLength(1);
    expect(lintSql(sql).filter((f) => f.rule === "contract-in-expand")).toHaveLength(0);
  });

  it("says a block in another language, or one that does not parse, is not modelled", () => {
    const other = lintSql("DO LANGUAGE plpython3u $$ plpy.execute('CREATE INDEX i ON users (a)') $$;");
    expect(other.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ["not-modelled", "note", "not modelled: a DO block in plpython3u is not read"],
    ]);
    const broken = lintSql("DO $$ BEGIN CREATE INDEX i ON users (a) END $$;");
    expect(broken.map((f) => f.rule)).toEqual(["not-modelled"]);
  });

  it("reads the body of a procedure the migration creates when it is CALLed, at the body's lines", () => {
    const sql = [
      "CREATE PROCEDURE backfill_plans() LANGUAGE plpgsql AS $$",
      "BEGIN",
      "  CREATE INDEX users_plan ON users (plan);",
      "  COMMIT;",
      "END $$;",
      "CALL backfill_plans();",
    ].join("\n");
    expect(at(sql, "create-index-non-concurrent")).toEqual([[3, 3, 3, 42]]);
    const call = new Analyzer(14).analyze(migrationFromSql(sql)).statements[1];
    expect(call?.effects).toMatchObject({ action: "CALL backfill_plans", transactional: false });
    expect(call?.effects.locks.map((l) => [l.relation, l.mode])).toEqual([["users", "ShareLock"]]);
    expect(lintSql(sql).filter((f) => f.rule === "not-modelled")).toEqual([]);
  });

  it("notes a CALL of a procedure from elsewhere", () => {
    const findings = lintSql("CALL archive_orders(30);").filter((f) => f.rule === "not-modelled");
    expect(findings.map((f) => f.message)).toEqual([
      "not modelled: CALL is not in the statement model: its locks and effects are not known",
    ]);
  });
});
