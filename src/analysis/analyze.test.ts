import { describe, expect, it } from "vitest";
import { migrationFromSql } from "../../test/support/lint.js";
import { Analyzer } from "./analyze.js";

function groups(sql: string, options: { runsInTransaction?: boolean; noTransaction?: boolean } = {}) {
  const file = new Analyzer(14).analyze(migrationFromSql(sql, 1, options));
  return file.statements.map(
    (s) => `${s.transaction.id}${s.transaction.explicit ? "e" : ""}:${s.effects.action}`,
  );
}

describe("Analyzer transaction grouping", () => {
  it("puts consecutive transactional statements in one transaction and isolates the others", () => {
    expect(
      groups(
        "CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int;\nCREATE INDEX CONCURRENTLY i ON a (b);\nALTER TABLE a ADD COLUMN c int;",
      ),
    ).toEqual(["1:CREATE TABLE", "1:ALTER TABLE ADD COLUMN", "2:CREATE INDEX", "3:ALTER TABLE ADD COLUMN"]);
  });

  it("follows explicit BEGIN/COMMIT blocks", () => {
    expect(groups("SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;\nSELECT 3;")).toEqual([
      "1:SELECT",
      "2e:BEGIN",
      "2e:SELECT",
      "2e:COMMIT",
      "3:SELECT",
    ]);
  });

  it("runs each statement on its own with no-transaction", () => {
    expect(groups("-- safemigrate:no-transaction\nSELECT 1;\nSELECT 2;")).toEqual(["1:SELECT", "2:SELECT"]);
    expect(groups("SELECT 1;\nSELECT 2;", { noTransaction: true })).toEqual(["1:SELECT", "2:SELECT"]);
  });

  it("starts a new transaction at a phase marker", () => {
    expect(groups("SELECT 1;\n-- safemigrate:contract\nSELECT 2;")).toEqual(["1:SELECT", "2:SELECT"]);
  });
});

describe("schema context", () => {
  it("knows tables created earlier in the same migration are not existing, and earlier files' are", () => {
    const analyzer = new Analyzer(14);
    const first = analyzer.analyze(migrationFromSql("CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);"));
    const second = analyzer.analyze(migrationFromSql("CREATE INDEX j ON a (id);", 2));
    expect(first.statements[1]?.effects.locks).toEqual([
      { relation: "a", mode: "ShareLock", existing: false },
    ]);
    expect(second.statements[0]?.effects.locks).toEqual([
      { relation: "a", mode: "ShareLock", existing: true },
    ]);
  });

  it("tracks column types across migrations and renames", () => {
    const analyzer = new Analyzer(14);
    analyzer.analyze(migrationFromSql("CREATE TABLE a (name varchar(10));"));
    analyzer.analyze(migrationFromSql("ALTER TABLE a RENAME COLUMN name TO title;", 2));
    const change = analyzer.analyze(
      migrationFromSql("ALTER TABLE a ALTER COLUMN title TYPE varchar(20);", 3),
    );
    const command = change.statements[0]?.effects.commands[0];
    expect(command?.typeChange?.from).toEqual({ name: "varchar", modifiers: [10], array: false });
    expect(command?.rewrite).toBe(false);
  });

  it("knows that ADD PRIMARY KEY USING INDEX has nothing to check when the index's columns are NOT NULL", () => {
    const analyzer = new Analyzer(14);
    analyzer.analyze(migrationFromSql("CREATE TABLE a (b int, c int);", 1));
    const file = analyzer.analyze(
      migrationFromSql(
        [
          "ALTER TABLE a ALTER COLUMN b SET NOT NULL;",
          "CREATE UNIQUE INDEX CONCURRENTLY a_b_key ON a (b);",
          "CREATE UNIQUE INDEX CONCURRENTLY a_c_key ON a (c);",
          "ALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY USING INDEX a_b_key;",
          "ALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY USING INDEX a_c_key;",
          "ALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY USING INDEX unknown_idx;",
        ].join("\n"),
        2,
      ),
    );
    expect(file.statements.slice(3).map((s) => s.effects.commands[0]?.scan)).toEqual([false, true, true]);
  });

  it("knows a NOT NULL check validated in an earlier transaction, and resolves DROP INDEX to its table", () => {
    const analyzer = new Analyzer(14);
    analyzer.analyze(migrationFromSql("CREATE TABLE a (b int);\nCREATE INDEX a_b ON a (b);"));
    analyzer.analyze(
      migrationFromSql("ALTER TABLE a ADD CONSTRAINT b_nn CHECK (b IS NOT NULL) NOT VALID;", 2),
    );
    analyzer.analyze(migrationFromSql("ALTER TABLE a VALIDATE CONSTRAINT b_nn;", 3));
    const last = analyzer.analyze(
      migrationFromSql("ALTER TABLE a ALTER COLUMN b SET NOT NULL;\nDROP INDEX a_b;", 4),
    );
    expect(last.statements[0]?.effects.commands[0]?.notNullProvenByCheck).toBe(true);
    expect(last.statements[0]?.effects.scans).toEqual([]);
    expect(last.statements[1]?.effects.target).toBe("a");
  });
});
