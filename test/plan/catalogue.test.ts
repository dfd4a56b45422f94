/**
 * The static model against plan's trace: every case of the statement catalogue (test/catalogue) runs
 * through the model (src/analysis) and through the tracer (src/plan/trace.ts), on the embedded shadow
 * (PGlite) and on a real server (the --shadow-url code path), and the two must agree on the strongest lock
 * per table-like relation (for statements run in a transaction; outside one, locks cannot be read back)
 * and on which tables are rewritten.
 *
 * Where they differ the trace is what plan shows; each known difference below is a gap of the model,
 * listed with the reason, and must still be a difference (the test fails once the model learns it, so
 * that the entry is removed). Cases PGlite cannot run at all are listed too, with PGlite's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockDisagreements } from "../../src/plan/planned-step.js";
import { openServerShadow } from "../../src/shadow/server.js";
import type { Shadow } from "../../src/shadow/shadow.js";
import { type StepTrace, Tracer } from "../../src/trace/tracer.js";
import { STATEMENT_CASES, type StatementCase } from "../catalogue/statements.js";
import { formatTable, modelEffects } from "../model/compare.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { reusable, type SharedShadow, sharedEmbeddedShadow } from "./helpers.js";

/** Model gaps (they concern src/analysis): case name -> the disagreement lines plan shows for it. */
const KNOWN: Record<string, { lines: string[]; why: string }> = {
  "type timestamp to timestamptz (TimeZone UTC)": {
    lines: ["rewrite: model t, trace none"],
    why: "PG12+ skips the rewrite when the session TimeZone is UTC; the model cannot know the session's zone",
  },
  "set tablespace pg_default (already there)": {
    lines: ["rewrite: model t, trace none"],
    why: "moving a table to the tablespace it is in is a no-op; the model does not know where a table lives",
  },
  "set access method (already there)": {
    lines: ["rewrite: model t, trace none"],
    why: "setting the access method a table already has is a no-op on 18; the model does not know a table's access method",
  },
  "drop schema cascade": {
    lines: ["lock on other.o: model none, trace AccessExclusiveLock"],
    why: "CASCADE drops every table in the schema; the schema context cannot list a schema's tables",
  },
};

/** Cases the embedded shadow cannot run: plan marks such steps untraced, with this reason. */
const PGLITE_CANNOT: Record<string, RegExp> = {};

function rewriteLines(model: string[], trace: StepTrace): string[] {
  const lines: string[] = [];
  for (const t of model) if (!trace.rewrites.includes(t)) lines.push(`rewrite: model ${t}, trace none`);
  for (const t of trace.rewrites) if (!model.includes(t)) lines.push(`rewrite: model none, trace ${t}`);
  return lines;
}

interface Outcome {
  /** Disagreements between the model and the trace. */
  lines: string[];
  /** Set when the shadow could not run the case. */
  untraced: string | null;
}

async function traceCase(shadow: SharedShadow, testCase: StatementCase, major: number): Promise<Outcome> {
  const session: Shadow = await shadow.open();
  try {
    for (const statement of [...(testCase.session ?? []), ...testCase.setup]) {
      try {
        await session.exec(statement);
      } catch (error) {
        return { lines: [], untraced: `setup: ${(error as Error).message}` };
      }
    }
    const tracer = new Tracer(session);
    await tracer.start();
    const transactional = testCase.inTransaction !== false;
    // The statements before it in its transaction run in the traced one too, as the model reads them.
    const statements = [...(testCase.earlierInTransaction ?? []), testCase.sql];
    const trace = await tracer.trace({ statements, transactional }, testCase.name);
    if (!trace.traced) return { lines: [], untraced: trace.reason };
    const effects = modelEffects(testCase, major);
    const lines = rewriteLines(effects.rewrites, trace);
    if (trace.locks)
      lines.unshift(...lockDisagreements(effects.locks, trace.locks, (n) => tracer.resolve(n)));
    return { lines, untraced: null };
  } finally {
    await session.close();
    for (const statement of testCase.teardown ?? []) await session.exec(statement).catch(() => {});
  }
}

function check(testCase: StatementCase, outcome: Outcome, engine: "pglite" | "server", report: string[][]) {
  const cannot = engine === "pglite" ? PGLITE_CANNOT[testCase.name] : undefined;
  if (cannot || outcome.untraced) {
    expect(outcome.untraced ?? "traced", `${testCase.name}: ${testCase.sql}`).toMatch(cannot ?? /^$/);
    return;
  }
  const expected = KNOWN[testCase.name]?.lines ?? [];
  const rows = [
    ...outcome.lines.filter((l) => !expected.includes(l)).map((l) => [testCase.name, l]),
    ...expected.filter((l) => !outcome.lines.includes(l)).map((l) => [testCase.name, `now agrees: ${l}`]),
  ];
  report.push(...rows);
  if (rows.length > 0) expect.fail(`\n${testCase.sql}\n\n${formatTable(["case", "model vs trace"], rows)}`);
}

describe("statement catalogue: model vs trace on the embedded shadow (PGlite)", () => {
  const cases = STATEMENT_CASES.filter((c) => (c.pgMin ?? 0) <= 18);
  const report: string[][] = [];
  let shadow: SharedShadow;
  beforeAll(async () => {
    shadow = await sharedEmbeddedShadow();
  });
  afterAll(async () => {
    if (report.length > 0)
      console.log(`\nmodel vs PGlite trace\n${formatTable(["case", "difference"], report)}\n`);
    await shadow?.close();
  });

  it("has at least 80 cases and only known entries", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    const names = STATEMENT_CASES.map((c) => c.name);
    for (const name of [...Object.keys(KNOWN), ...Object.keys(PGLITE_CANNOT)]) expect(names).toContain(name);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    check(testCase, await traceCase(shadow, testCase, 18), "pglite", report);
  });
});

describe.each(testMajors())(
  "statement catalogue: model vs trace on Postgres %s (--shadow-url)",
  (majorName) => {
    const major = Number(majorName);
    const cases = STATEMENT_CASES.filter((c) => (c.pgMin ?? 0) <= major);
    const report: string[][] = [];
    let db: TestDatabase;
    let shadow: SharedShadow;
    beforeAll(async () => {
      db = await createTestDatabase(majorName);
      shadow = await reusable(await openServerShadow(db.url));
    });
    afterAll(async () => {
      if (report.length > 0)
        console.log(`\nmodel vs trace on ${major}\n${formatTable(["case", "difference"], report)}\n`);
      await shadow?.close();
      await db?.drop();
    });

    it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
      check(testCase, await traceCase(shadow, testCase, major), "server", report);
    });
  },
);
