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

describe("--change-type", () => {
  it("adds a column of the new type kept in step both ways, and swaps it in at contract", async () => {
    const g = await run(HOSTILE_SETUP, [
      "--change-type",
      `${TABLE_ARG}."Größe"`,
      "bigint",
      "--using",
      '"Größe"::bigint',
      "--reverse",
      '"Größe"::integer',
    ]);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} ADD COLUMN "Größe_new" bigint;`);
    expect(text).toContain(`NEW."Größe_new" := CAST(new."Größe" AS bigint);`);
    expect(text).toContain(`NEW."Größe" := new."Größe_new"::int;`);
    // The check constraint and the partial index that mention the column, recreated for the new one.
    expect(text).toMatch(
      /ADD CONSTRAINT "Mixed ""Q"" Tablé_Größe_new_check" CHECK \("Größe_new" >= 0\) NOT VALID;/,
    );
    expect(text).toContain('WHERE "Größe_new" > 0;');
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} RENAME COLUMN "Größe_new" TO "Größe";`);
    expect(text).toContain(
      `ALTER INDEX "App Schema"."Mixed ""Q"" Tablé_Größe_new_idx" RENAME TO "lower select";`,
    );
  });

  it("refuses an unknown type, a missing --using and a bad expression", async () => {
    expectRefused(
      await run(HOSTILE_SETUP, ["--change-type", `${TABLE_ARG}."Größe"`, "nosuchtype", "--using", "1"]),
      /^safemigrate: --change-type: no type nosuchtype in the migrations in /,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--change-type", `${TABLE_ARG}."Größe"`, "bigint"]),
      /needs --using/,
    );
    expectRefused(
      await run(HOSTILE_SETUP, [
        "--change-type",
        `${TABLE_ARG}."Größe"`,
        "bigint",
        "--using",
        "1; DROP TABLE x",
      ]),
      /--using: '1; DROP TABLE x' is not one SQL expression/,
    );
  });
});
