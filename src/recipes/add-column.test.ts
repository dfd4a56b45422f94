import { afterAll, describe, expect, it } from "vitest";
import { useSharedShadow } from "../../test/plan/helpers.js";
import {
  DIRECTIVE_TABLE,
  expectRefused,
  expectSafe,
  type Generated,
  generate,
  HOSTILE_SETUP,
  TABLE_ARG,
  TABLE_SQL,
} from "../../test/support/recipes.js";

const shadow = useSharedShadow();
const made: Generated[] = [];
afterAll(() => Promise.all(made.map((g) => g.remove())));
const run = async (...args: Parameters<typeof generate>) => {
  const g = await generate(...args);
  made.push(g);
  return g;
};

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
    const text = g.files[g.written.split("/").at(-1) as string] as string;
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
    const text = g.files[g.written.split("/").at(-1) as string] as string;
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
