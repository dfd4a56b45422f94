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

describe("--set-not-null", () => {
  it("fills the NULLs in batches and sets NOT NULL through a validated CHECK", async () => {
    const g = await run(HOSTILE_SETUP, ["--set-not-null", `${TABLE_ARG}."user"`, "--fill", "'it''s me'"]);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toContain(
      `-- safemigrate:expand\nALTER TABLE ${TABLE_SQL} ADD CONSTRAINT "Mixed ""Q"" Tablé_user_not_null" CHECK ("user" IS NOT NULL) NOT VALID;\n` +
        `-- safemigrate:backfill table=${DIRECTIVE_TABLE} set="\\"user\\" = 'it''s me'" where="\\"user\\" IS NULL"\n` +
        `ALTER TABLE ${TABLE_SQL} VALIDATE CONSTRAINT "Mixed ""Q"" Tablé_user_not_null";\n`,
    );
    expect(text).toContain(
      `-- safemigrate:rollback\n-- safemigrate:no-transaction\nALTER TABLE ${TABLE_SQL} ALTER COLUMN "user" DROP NOT NULL;\n\n-- +goose Down\n`,
    );
  });

  it("needs no fill", async () => {
    const g = await run(HOSTILE_SETUP, ["--set-not-null", `${TABLE_ARG}."Größe"`]);
    await expectSafe(g, shadow());
  });

  it("refuses a column that is NOT NULL already, and --fill without --set-not-null", async () => {
    expectRefused(
      await run(HOSTILE_SETUP, ["--set-not-null", `${TABLE_ARG}."select"`]),
      /is NOT NULL already/,
    );
    expectRefused(await run(HOSTILE_SETUP, ["--fill", "1"]), /--fill belongs to --set-not-null/);
  });
});
