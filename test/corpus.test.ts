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
  // data_oauth_github.sql is a data script run by hand: diesel never runs it, so it is named as not read.
  { name: "cratesio", dir: "cratesio/migrations", layout: "diesel", unread: ["data_oauth_github.sql"] },
  { name: "documenso", dir: "documenso/migrations", layout: "prisma", unread: [] },
  { name: "river", dir: "river/main", layout: "golang-migrate", unread: [] },
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
      const unread = set.notices.map(
        (n) => `${n.kind} ${n.file.slice(join(corpus, history.dir).length + 1)}`,
      );
      expect(unread).toEqual(history.unread.map((f) => `unread-file ${f}`));
      const syntaxErrors = result.findings.filter((f) => f.rule === "syntax-error");
      expect(syntaxErrors.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
    },
  );
});
