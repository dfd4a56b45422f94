/** Recipes on a partitioned table: its indexes are built through the partitions, as plan and up build them. */
import { describe, expect, it } from "vitest";
import { expectRefused, expectSafe, useRecipes, writtenText } from "../../test/support/recipes.js";

const { shadow, run } = useRecipes();

const SETUP = `CREATE TABLE m (id bigint NOT NULL, at date NOT NULL, email text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX m_email_idx ON m (email);
`;

describe("recipes on a partitioned table", () => {
  it.each([
    ["--rename-column", "m.email", "contact"],
    ["--change-type", "m.email", "varchar(200)", "--using", "email::varchar(200)"],
    ["--set-not-null", "m.email", "--fill", "''"],
    ["--add-column", "m.token", "uuid", "--default", "gen_random_uuid()", "--not-null"],
    ["--rename-table", "m", "n"],
  ])("%s lints and plans clean", async (...args) => {
    await expectSafe(await run(SETUP, args), shadow());
  });

  it("builds a copied index ON ONLY the parent, concurrently on each partition, then attaches them", async () => {
    const g = await run(SETUP, ["--rename-column", "m.email", "contact"]);
    const text = writtenText(g);
    expect(text).toContain(
      [
        "CREATE INDEX m_contact_idx ON ONLY public.m (contact);",
        "CREATE INDEX CONCURRENTLY m_2024_contact_idx ON public.m_2024 (contact);",
        'ALTER INDEX "public"."m_contact_idx" ATTACH PARTITION "public"."m_2024_contact_idx";',
        "CREATE INDEX CONCURRENTLY m_2025_contact_idx ON public.m_2025 (contact);",
        'ALTER INDEX "public"."m_contact_idx" ATTACH PARTITION "public"."m_2025_contact_idx";',
      ].join("\n"),
    );
  });

  it("refuses a unique constraint it cannot move safely on a partitioned table", async () => {
    const setup = `${SETUP}ALTER TABLE m ADD CONSTRAINT m_email_key UNIQUE (email, at);\n`;
    expectRefused(
      await run(setup, ["--rename-column", "m.email", "contact"]),
      /^safemigrate: --rename-column: constraint m_email_key on email of partitioned table public\.m has no safe route the recipe can write/,
    );
  });
});
