/**
 * The statement model against real Postgres: every catalogued statement (test/catalogue/statements.ts) runs
 * on each started major, and what Postgres did is compared with what the model says:
 *
 * - locks: the strongest pg_locks mode on each table-like relation (relkind r, p, m, v, f), both ways;
 * - rewrites: relations whose relfilenode changed, before vs after commit;
 * - scans: sequential scans counted by pg_stat_get_xact_numscans inside the statement's transaction, on
 *   the relations the statement targets, claims to scan, or locks ACCESS EXCLUSIVE (not for statements
 *   whose scans are a query's: INSERT, UPDATE, DELETE, MERGE, CREATE TABLE AS, CREATE VIEW);
 * - index builds: an index on a pre-existing relation with new storage (outside a table rewrite);
 * - transactional: cases marked `inTransaction: false` must be rejected in a transaction block (SQLSTATE
 *   25001) and described as non-transactional; all others run in one.
 *
 * A case's `earlierInTransaction` statements run first in the same transaction: their locks and rewrites
 * are compared together with the statement's, the scans are the statement's alone.
 *
 * Statements that cannot run in a transaction (CONCURRENTLY, VACUUM) run for real while another session
 * holds the case's `blocker` open, and their locks are read while they wait: the granted ones plus the
 * one they queue for. That shows the locks at the point where they block, which for the multi-transaction
 * statements is where they hold their strongest lock; their scans are not measured.
 *
 * A failing case prints its differences as a table (case, aspect, relation, model, postgres), and each
 * major prints all of its differences together at the end. Run one major with
 * SAFEMIGRATE_TEST_PG_MAJORS=18 npx vitest run test/model (CI runs 14,18).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATEMENT_CASES, type StatementCase } from "../catalogue/statements.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { compare, type Difference, formatTable, modelEffects, modelRelationNames } from "./compare.js";
import { observeBlocked, observeInTransaction, resetDatabase, runSetup } from "./observe.js";

/**
 * Where the model knowingly differs from Postgres because it cannot see what decides the outcome (it reads
 * migration files, not the live catalog). Each entry must still be a difference: when the model learns to
 * get it right, the test fails until the entry is removed.
 */
const KNOWN_GAPS: Record<string, Array<Pick<Difference, "aspect" | "relation"> & { why: string }>> = {
  "type timestamp to timestamptz (TimeZone UTC)": [
    {
      aspect: "rewrite",
      relation: "t",
      why: "PG12+ skips the rewrite when the session TimeZone is UTC; the model cannot know the session's time zone and assumes the rewrite",
    },
  ],
  "set tablespace pg_default (already there)": [
    {
      aspect: "rewrite",
      relation: "t",
      why: "moving a table to the tablespace it is already in is a no-op; the model does not know where a table lives",
    },
  ],
  "attach partition with a check that does not imply the bound": [
    {
      aspect: "scan",
      relation: "m2",
      why: "the model takes any validated CHECK on the partition as matching the bound; Postgres proves the bound from it or scans",
    },
  ],
  "set access method (already there)": [
    {
      aspect: "rewrite",
      relation: "t",
      why: "on Postgres 18, setting the access method a table already has is a no-op; the model does not know a table's access method",
    },
  ],
  "drop schema cascade": [
    {
      aspect: "lock",
      relation: "other.o",
      why: "CASCADE drops (ACCESS EXCLUSIVE) every table in the schema; the schema context cannot list a schema's tables",
    },
  ],
};

/** Statement kinds with a describer in src/analysis/effects that takes locks (not BEGIN, SET). */
const DESCRIBED_KINDS = [
  "AlterTableStmt",
  "CreateStmt",
  "IndexStmt",
  "DropStmt",
  "RenameStmt",
  "CreateTableAsStmt",
  "ViewStmt",
  "AlterEnumStmt",
  "TruncateStmt",
  "UpdateStmt",
  "DeleteStmt",
  "InsertStmt",
  "MergeStmt",
  "LockStmt",
  "VacuumStmt",
  "ClusterStmt",
  "ReindexStmt",
  "RefreshMatViewStmt",
  "CreateTrigStmt",
  "CreatePolicyStmt",
  "CreateSeqStmt",
  "AlterSeqStmt",
  "AlterObjectSchemaStmt",
  "CommentStmt",
  "ExplainStmt",
  "SelectStmt",
  "CallStmt",
  "DoStmt",
  "GrantStmt",
  "AlterPolicyStmt",
];

const HEADER = ["case", "aspect", "relation", "model", "postgres"];

function rows(name: string, differences: Difference[]): string[][] {
  return differences.map((d) => [name, d.aspect, d.relation, d.model, d.postgres]);
}

function isKnown(testCase: StatementCase, difference: Difference): boolean {
  return (KNOWN_GAPS[testCase.name] ?? []).some(
    (gap) => gap.aspect === difference.aspect && gap.relation === difference.relation,
  );
}

describe("catalogue", () => {
  it("has unique case names and enough cases", () => {
    const names = STATEMENT_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(90);
    for (const name of Object.keys(KNOWN_GAPS)) expect(names).toContain(name);
  });

  it("gives every statement that cannot run in a transaction a blocker to observe it by", () => {
    const without = STATEMENT_CASES.filter((c) => c.inTransaction === false && !c.blocker);
    expect(without.map((c) => c.name)).toEqual([]);
  });

  it("covers every statement kind the model describes with locks", () => {
    const kinds = new Set(STATEMENT_CASES.map((c) => modelEffects(c, 18).kind));
    for (const kind of DESCRIBED_KINDS) expect(kinds, kind).toContain(kind);
  });
});

describe.each(testMajors())("statement model on Postgres %s", (majorName) => {
  const major = Number(majorName);
  const cases = STATEMENT_CASES.filter((c) => (c.pgMin ?? 0) <= major);
  const failures: string[][] = [];
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(majorName);
  });
  afterAll(async () => {
    if (failures.length > 0) {
      console.log(
        `\nStatement model vs Postgres ${major}: ${failures.length} difference(s)\n${formatTable(HEADER, failures)}\n`,
      );
    }
    await db?.drop();
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    const effects = modelEffects(testCase, major);
    await resetDatabase(db.sql);
    try {
      await runSetup(db.sql, testCase.setup);
      const names = modelRelationNames(effects);
      const observation =
        testCase.inTransaction === false
          ? await observeBlocked(db.sql, testCase, names)
          : await observeInTransaction(db.sql, testCase, names);
      const differences = compare(testCase, effects, observation);
      const unexpected = differences.filter((d) => !isKnown(testCase, d));
      const stale = (KNOWN_GAPS[testCase.name] ?? []).filter(
        (gap) => !differences.some((d) => d.aspect === gap.aspect && d.relation === gap.relation),
      );
      const report = [
        ...rows(testCase.name, unexpected),
        ...stale.map((gap) => [
          testCase.name,
          gap.aspect,
          gap.relation,
          "(known gap)",
          "now agrees: remove it",
        ]),
      ];
      failures.push(...report);
      if (report.length > 0) {
        expect.fail(`\n${testCase.sql}\n\n${formatTable(HEADER, report)}`);
      }
    } finally {
      if (testCase.teardown) {
        await resetDatabase(db.sql);
        for (const statement of testCase.teardown) await db.sql.unsafe(statement);
      }
    }
  });
});
