/**
 * The Atlas and sqitch layouts on real Postgres: `plan` traces them in the tool's order, `up` runs them (an
 * Atlas `txmode none` file and a sqitch script without BEGIN outside a transaction), and `rollback` runs the
 * down part the tool keeps (sqitch's revert script) or the rollback section (Atlas has no down files).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atlasDirectory, sqitchProject } from "../support/layout-fixtures.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

const PLANNER = "2024-01-01T10:00:00Z Ann Example <ann@example.com>";

const CASES: Record<string, { files: Record<string, string>; versions: string[]; rolledBack: string }> = {
  atlas: {
    files: atlasDirectory({
      "20240101000000_init.sql":
        'CREATE TABLE "atlas_users" ("id" bigint NOT NULL, "email" text, PRIMARY KEY ("id"));\n',
      "20240102000000_email.sql":
        '-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY "atlas_users_email" ON "atlas_users" ("email");\n',
      "20240103000000_orders.sql":
        '-- safemigrate:expand\nCREATE TABLE "atlas_orders" ("id" bigint);\n\n-- safemigrate:rollback\nDROP TABLE "atlas_orders";\n',
    }),
    versions: ["20240101000000", "20240102000000", "20240103000000"],
    rolledBack: "atlas_orders",
  },
  sqitch: {
    files: sqitchProject(
      [`users ${PLANNER} # Users.`, `users_email [users] ${PLANNER}`, `orders [users] ${PLANNER} # Orders.`],
      {
        "deploy/users.sql":
          "-- Deploy shop:users to pg\n\nBEGIN;\n\nCREATE TABLE sqitch_users (id bigint PRIMARY KEY, email text);\n\nCOMMIT;\n",
        "deploy/users_email.sql": "CREATE INDEX CONCURRENTLY sqitch_users_email ON sqitch_users (email);\n",
        "deploy/orders.sql": "BEGIN;\nCREATE TABLE sqitch_orders (id bigint);\nCOMMIT;\n",
        "revert/users.sql": "BEGIN;\nDROP TABLE sqitch_users;\nCOMMIT;\n",
        "revert/users_email.sql": "DROP INDEX CONCURRENTLY sqitch_users_email;\n",
        "revert/orders.sql": "BEGIN;\nDROP TABLE sqitch_orders;\nCOMMIT;\n",
        "verify/orders.sql": "SELECT id FROM sqitch_orders WHERE false;\n",
      },
    ),
    versions: ["users", "users_email", "orders"],
    rolledBack: "sqitch_orders",
  },
};

describe.each(testMajors())("Atlas and sqitch on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const tables = async (prefix: string) =>
    (
      await db.sql`SELECT relname FROM pg_class WHERE relname LIKE ${`${prefix}\\_%`} AND relkind IN ('r', 'i') ORDER BY 1`
    ).map((t) => t.relname);

  it.each(Object.keys(CASES))("plans, runs and rolls back a %s directory", async (layout) => {
    const { files, versions, rolledBack } = CASES[layout] as (typeof CASES)[string];
    const dir = migrationDir(files);
    const prefix = rolledBack.split("_")[0] as string;
    const history = ["--history-schema", `h_${prefix}`];

    const plan = await cli(["plan", dir, "--format", "json"]);
    expect(plan.stderr).toBe("");
    const planned = JSON.parse(plan.stdout).migrations;
    expect(planned.map((m: { version: string }) => m.version)).toEqual(versions);
    const steps = planned.flatMap(
      (m: { steps: Array<{ traced: boolean; transaction: boolean }> }) => m.steps,
    );
    expect(steps.every((s: { traced: boolean }) => s.traced)).toBe(true);
    // The index build runs outside a transaction, as the tool runs that file.
    expect(planned[1].steps.map((s: { transaction: boolean }) => s.transaction)).toEqual([false]);

    const up = await cli(["up", dir, ...history], db.url);
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    const created = await tables(prefix);
    expect(created).toEqual(expect.arrayContaining([rolledBack, `${prefix}_users`, `${prefix}_users_email`]));
    const status = async () =>
      JSON.parse((await cli(["status", dir, "--format", "json", ...history], db.url)).stdout).migrations.map(
        (m: { version: string; state: string }) => `${m.version}:${m.state}`,
      );
    expect(await status()).toEqual(versions.map((v) => `${v}:complete`));

    const rollback = await cli(["rollback", dir, ...history], db.url);
    expect(rollback.stderr).toBe("");
    expect(rollback.code).toBe(0);
    expect(await tables(prefix)).toEqual(created.filter((t) => t !== rolledBack));
    expect((await status()).at(-1)).toBe(`${versions.at(-1)}:pending`);
  });

  it("rolls back sqitch changes with their revert scripts, down to --to", async () => {
    const own = await createTestDatabase(major);
    try {
      const { files } = CASES.sqitch as (typeof CASES)[string];
      const dir = migrationDir(files);
      const names = async () =>
        (await own.sql`SELECT relname FROM pg_class WHERE relname LIKE 'sqitch\_%' ORDER BY 1`).map(
          (t) => t.relname,
        );
      expect((await cli(["up", dir], own.url)).code).toBe(0);
      const rollback = await cli(["rollback", dir, "--to", "users"], own.url);
      expect(rollback.stderr).toBe("");
      expect(await names()).toEqual(["sqitch_users", "sqitch_users_pkey"]);
      expect((await cli(["rollback", dir], own.url)).code).toBe(0);
      expect(await names()).toEqual([]);
    } finally {
      await own.drop();
    }
  });
});
