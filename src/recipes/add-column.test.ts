import { describe, expect, it } from "vitest";
import {
  DIRECTIVE_TABLE,
  expectRefused,
  expectSafe,
  HOSTILE_SETUP,
  TABLE_ARG,
  TABLE_SQL,
  useRecipes,
  writtenText,
} from "../../test/support/recipes.js";

const { shadow, run } = useRecipes();

describe("--add-column", () => {
  it("adds a column with a volatile default without a rewrite: default for new rows, backfill, CHECK route", async () => {
    const g = await run(HOSTILE_SETUP, [
      "--add-column",
      `${TABLE_ARG}."order"`,
      "uuid",
      "--default",
      "gen_random_uuid()",
      "--not-null",
    ]);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} ADD COLUMN "order" uuid;`);
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} ALTER COLUMN "order" SET DEFAULT gen_random_uuid();`);
    expect(text).toContain(
      `-- safemigrate:backfill table=${DIRECTIVE_TABLE} set="\\"order\\" = gen_random_uuid()" where="\\"order\\" IS NULL"`,
    );
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} ALTER COLUMN "order" SET NOT NULL;`);
  });

  it("adds a column with a constant default in one statement (no rewrite on Postgres 11+)", async () => {
    const g = await run(HOSTILE_SETUP, [
      "--add-column",
      `${TABLE_ARG}."Flag é"`,
      "boolean",
      "--default",
      "false",
      "--not-null",
    ]);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toContain(
      `-- safemigrate:expand\nALTER TABLE ${TABLE_SQL} ADD COLUMN "Flag é" boolean DEFAULT false NOT NULL;\n`,
    );
    expect(text).not.toContain("backfill");
  });

  it("refuses a column that exists, an unknown type and a missing --default", async () => {
    expectRefused(
      await run(HOSTILE_SETUP, ["--add-column", `${TABLE_ARG}."user"`, "text", "--default", "''"]),
      /already has a column user/,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--add-column", `${TABLE_ARG}.x`, "nosuchtype", "--default", "1"]),
      /no type nosuchtype/,
    );
    expectRefused(await run(HOSTILE_SETUP, ["--add-column", `${TABLE_ARG}.x`, "int"]), /needs --default/);
  });
});
