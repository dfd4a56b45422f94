import { describe, expect, it } from "vitest";
import {
  DIRECTIVE_TABLE,
  expectRefused,
  expectSafe,
  HOSTILE_SETUP,
  LONG,
  TABLE_ARG,
  TABLE_SQL,
  useRecipes,
  writtenText,
} from "../../test/support/recipes.js";

const { shadow, run } = useRecipes();

describe("--rename-column", () => {
  it("copies a quoted, collated, NOT NULL, indexed column under a new name, and lints and plans clean", async () => {
    const g = await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}."select"`, '"New ""Name"" é"']);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toContain(
      `ALTER TABLE ${TABLE_SQL} ADD COLUMN "New ""Name"" é" text COLLATE "pg_catalog"."C";`,
    );
    expect(text).toContain(`CHECK ("New ""Name"" é" IS NOT NULL) NOT VALID;`);
    expect(text).toContain(
      `-- safemigrate:backfill table=${DIRECTIVE_TABLE} set="\\"New \\"\\"Name\\"\\" é\\" = \\"select\\""`,
    );
    expect(text).toContain("CREATE UNIQUE INDEX CONCURRENTLY");
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} ALTER COLUMN "New ""Name"" é" SET DEFAULT 'x'::text;`);
    expect(text).toContain(`ALTER TABLE ${TABLE_SQL} DROP COLUMN "select";`);
    // The rollback section undoes the expand, inside goose's Up section.
    expect(text).toMatch(
      /-- safemigrate:rollback\n-- safemigrate:no-transaction\nBEGIN;\nDROP TRIGGER .*\nDROP FUNCTION .*\nALTER TABLE .* DROP COLUMN "New ""Name"" é";\nCOMMIT;\n\n-- \+goose Down\n/,
    );
  });

  it("renames a 63-byte column with a foreign key to another 63-byte name", async () => {
    const other = `${"ö".repeat(30)}xyz`;
    const g = await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}."${LONG}"`, `"${other}"`]);
    await expectSafe(g, shadow());
    const text = writtenText(g);
    expect(text).toMatch(/FOREIGN KEY \("?ö+xyz"?\) REFERENCES "App Schema".parent ?\(id\) NOT VALID;/);
  });

  it("moves a primary key and a serial's sequence to the new column in the contract", async () => {
    const setup = "CREATE TABLE t (code bigint PRIMARY KEY, n serial NOT NULL, note text);\n";
    const pk = await run(setup, ["--rename-column", "t.code", "key"]);
    await expectSafe(pk, shadow());
    const pkText = pk.files[pk.written.split("/").at(-1) as string] as string;
    expect(pkText).toContain("CREATE UNIQUE INDEX CONCURRENTLY t_key_key ON public.t (key);");
    expect(pkText).toMatch(
      /DROP COLUMN "code";\nALTER TABLE "public"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "t_key_key";\nCOMMIT;/,
    );
    const serial = await run(setup, ["--rename-column", "t.n", "number"]);
    await expectSafe(serial, shadow());
    const serialText = serial.files[serial.written.split("/").at(-1) as string] as string;
    expect(serialText).toContain(
      `ALTER TABLE "public"."t" ALTER COLUMN "number" SET DEFAULT nextval('t_n_seq'::regclass);\nALTER SEQUENCE "public"."t_n_seq" OWNED BY "public"."t"."number";\nALTER TABLE "public"."t" DROP COLUMN "n";`,
    );
  });

  it("refuses unknown names and identity columns with one line, and writes nothing", async () => {
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-column", "nope.x", "y"]),
      /^safemigrate: --rename-column: no table nope in the migrations in /,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}.nope`, "y"]),
      /^safemigrate: --rename-column: table App Schema\.Mixed "Q" Tablé has no column nope in /,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}.id`, "y"]),
      /is an identity column/,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}."select"`, "user"]),
      /already has a column user/,
    );
    expectRefused(
      await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}.x-y`, "z"]),
      /is not a valid name/,
    );
    expectRefused(await run(HOSTILE_SETUP, ["--rename-column", `${TABLE_ARG}."select"`]), /takes two values/);
  });
});
