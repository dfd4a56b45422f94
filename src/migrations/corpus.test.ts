/** The real migration histories in ../shared/corpus (read in place, never copied into the repository). */
import { describe, expect, it } from "vitest";
import { corpusPath as corpus, corpusMissing } from "../../test/support/corpus.js";
import { discoverMigrations } from "./discover.js";
import { compareDieselVersions } from "./version-order.js";

const missing = corpusMissing("the corpus discovery tests (src/migrations/corpus.test.ts)");

describe.skipIf(missing !== null)("corpus", () => {
  it("reads crates.io as diesel, in diesel's order", async () => {
    const set = await discoverMigrations(corpus("cratesio/migrations"));
    expect(set.layout).toBe("diesel");
    expect(set.migrations).toHaveLength(285);
    expect(set.migrations[0]).toMatchObject({ version: "00000000000000", name: "diesel_initial_setup" });
    expect(set.migrations[1]?.version).toBe("20140924113530");
    expect(set.migrations.at(-1)).toMatchObject({
      version: "2026-07-30-140000-0000",
      name: "add_users_username_index",
    });
    const versions = set.migrations.map((m) => m.version);
    expect([...versions].sort(compareDieselVersions)).toEqual(versions);
    for (let i = 1; i < versions.length; i++) {
      const [a, b] = [versions[i - 1] as string, versions[i] as string];
      expect(a.replaceAll("-", "") < b.replaceAll("-", ""), `${a} before ${b}`).toBe(true);
    }
    const noTransaction = set.migrations.filter((m) => m.file.noTransaction);
    expect(noTransaction).toHaveLength(7);
    expect(noTransaction.every((m) => !m.file.runsInTransaction)).toBe(true);
    expect(set.migrations.filter((m) => m.file.runsInTransaction)).toHaveLength(278);
    expect(
      set.migrations.every((m) => m.file.path.endsWith("/up.sql") && m.file.upText === m.file.text),
    ).toBe(true);
  });

  it("reads documenso as prisma", async () => {
    const set = await discoverMigrations(corpus("documenso/migrations"));
    expect(set.layout).toBe("prisma");
    expect(set.migrations).toHaveLength(163);
    expect(set.migrations[0]).toMatchObject({ version: "20230404095503", name: "initial_migration" });
    expect(set.migrations.at(-1)?.version).toBe("20260622120000");
    expect(set.migrations.every((m) => m.file.path.endsWith("/migration.sql"))).toBe(true);
  });

  it("reads river as golang-migrate", async () => {
    const set = await discoverMigrations(corpus("river/main"));
    expect(set.layout).toBe("golang-migrate");
    expect(set.migrations.map((m) => m.version)).toEqual(["001", "002", "003", "004", "005", "006", "007"]);
    expect(set.migrations[0]?.name).toBe("create_river_migration");
    expect(set.migrations.every((m) => m.file.path.endsWith(".up.sql"))).toBe(true);
  });
});
