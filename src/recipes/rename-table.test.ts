import { describe, expect, it } from "vitest";
import {
  expectRefused,
  expectSafe,
  HOSTILE_SETUP,
  TABLE_ARG,
  TABLE_SQL,
  useRecipes,
  writtenText,
} from "../../test/support/recipes.js";

const { shadow, run } = useRecipes();

describe("--rename-table", () => {
  it("renames the table and keeps the old name as an updatable view until the contract", async () => {
    const g = await run(HOSTILE_SETUP, ["--rename-table", TABLE_ARG, '"Order Items é"']);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toContain(
      `BEGIN;\n-- safemigrate:ignore rename-table, contract-in-expand -- the view below keeps the old name working\n` +
        `ALTER TABLE ${TABLE_SQL} RENAME TO "Order Items é";\n` +
        `CREATE VIEW ${TABLE_SQL} AS SELECT * FROM "App Schema"."Order Items é";\nCOMMIT;\n`,
    );
    expect(text).toContain(`-- safemigrate:contract\nDROP VIEW ${TABLE_SQL};\n`);
  });

  it("says when the directory did not replay whole on the embedded shadow", async () => {
    const setup = "CREATE EXTENSION no_such_extension;\nCREATE TABLE t (id bigint PRIMARY KEY);\n";
    expectRefused(
      await run(setup, ["--rename-table", "t", "u"]),
      /--rename-table: no table t in the migrations in .* \(1 step\(s\) did not replay on the embedded shadow, first .*00001_setup\.sql:2: .*; --database-url reads the real schema\)\n$/,
    );
  });

  it("refuses an unknown table and a name that is taken", async () => {
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-table", "nope", "x"]),
      /--rename-table: no table nope in /,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-table", TABLE_ARG, "parent"]),
      /--rename-table: App Schema\.parent exists already/,
    );
  });
});
