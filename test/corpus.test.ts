import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintMigrations } from "../src/analysis/lint.js";
import { discoverMigrations } from "../src/migrations/index.js";
import { initParser } from "../src/sql/parse.js";
import { CORPUS_ROOT as corpus, corpusMissing } from "./support/corpus.js";

/** Real migration histories of other projects, read in place from ../shared/corpus. */
const missing = corpusMissing("the corpus lint tests (test/corpus.test.ts)");

const HISTORIES = [
  { name: "cratesio", dir: "cratesio/migrations", layout: "diesel" },
  { name: "documenso", dir: "documenso/migrations", layout: "prisma" },
  { name: "river", dir: "river/main", layout: "golang-migrate" },
] as const;

describe.skipIf(missing !== null)("real migration histories", () => {
  it("has the corpus available", () => {
    expect(readdirSync(corpus)).toEqual(expect.arrayContaining(["cratesio", "documenso", "river"]));
  });

  it.each(HISTORIES)(
    "lints every file of $name without a crash, and every statement parses",
    async (history) => {
      await initParser();
      const set = await discoverMigrations(join(corpus, history.dir));
      expect(set.layout).toBe(history.layout);
      const result = lintMigrations(set.migrations, { pgVersion: 14 });
      expect(result.summary.files).toBe(set.migrations.length);
      expect(result.summary.statements).toBeGreaterThan(set.migrations.length);
      const syntaxErrors = result.findings.filter((f) => f.rule === "syntax-error");
      expect(syntaxErrors.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
    },
  );
});
