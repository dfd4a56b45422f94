import { beforeAll, describe, expect, it } from "vitest";
import { cli, migrationDir } from "../../../test/run/helpers.js";
import { sqitchProject } from "../../../test/support/layout-fixtures.js";
import { UsageError } from "../../errors.js";
import { newMigration } from "../../recipes/new.js";
import { initParser } from "../../sql/parse.js";
import { discoverMigrations } from "../discover.js";
import { parsePlan } from "./sqitch.js";

const PLANNER = "2024-01-0%dT10:00:00Z Ann Example <ann@example.com>";
const at = (day: number) => PLANNER.replace("%d", String(day));
const wrapped = (sql: string) => `-- Deploy shop:change to pg\n\nBEGIN;\n\n${sql}\n\nCOMMIT;\n`;

beforeAll(() => initParser());

describe("sqitch", () => {
  it("reads the plan: pragmas and comments skipped, dependencies, tags, a reworked change's older script", () => {
    const plan = [
      "%syntax-version=1.0.0",
      "%project=shop",
      "# the first changes",
      `appschema ${at(1)} # Add the schema.`,
      `users [appschema] ${at(2)} # Users.`,
      `@v1.0 ${at(3)} # Tag v1.0.`,
      `users [users@v1.0] ${at(4)} # Users get an email.`,
    ].join("\n");
    expect(parsePlan(plan)).toEqual([
      { version: "appschema", name: "appschema", rel: "deploy/appschema.sql", line: 4 },
      { version: "users", name: "users", rel: "deploy/users@v1.0.sql", line: 5 },
      { version: "users@v1.0", name: "users", rel: "deploy/users.sql", line: 7 },
    ]);
  });

  it("is detected by sqitch.plan and read in its order; revert and verify are its own, not unread", async () => {
    const dir = migrationDir(
      sqitchProject([`orders ${at(1)} # Orders.`, `customers ${at(2)} # Customers.`], {
        "deploy/orders.sql": wrapped("CREATE TABLE orders (id bigint PRIMARY KEY);"),
        "deploy/customers.sql": "CREATE INDEX CONCURRENTLY orders_id ON orders (id);\n",
        "revert/orders.sql": "BEGIN;\nDROP TABLE orders;\nCOMMIT;\n",
        "revert/customers.sql": "DROP INDEX orders_id;\n",
        "verify/orders.sql": "SELECT id FROM orders WHERE false;\n",
      }),
    );
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("sqitch");
    expect(set.notices).toEqual([]);
    // sqitch wraps nothing: the template's BEGIN/COMMIT are the script's own transaction, which lint accepts.
    expect(set.migrations.map((m) => [m.version, m.file.runsInTransaction])).toEqual([
      ["orders", false],
      ["customers", false],
    ]);
    const lint = await cli(["lint", dir, "--format", "json"]);
    expect(JSON.parse(lint.stdout).findings.map((f: { rule: string }) => f.rule)).not.toContain(
      "transaction-nesting",
    );
  });

  it("reports a deploy script the plan does not list, and a planned change without its script", async () => {
    const dir = migrationDir(
      sqitchProject([`orders ${at(1)}`, `missing ${at(2)}`], {
        "deploy/orders.sql": "CREATE TABLE orders (id int);\n",
        "deploy/stray.sql": "SELECT 1;\n",
      }),
    );
    const set = await discoverMigrations(dir);
    expect(set.migrations.map((m) => m.version)).toEqual(["orders"]);
    expect(
      set.notices.map((n) => `${n.kind} ${n.file.split("/").slice(-2).join("/")}: ${n.message}`),
    ).toEqual([
      "unread-file deploy/stray.sql: not read: the directory is sqitch layout, and sqitch.plan does not plan this change: sqitch never deploys it",
      "refused-by-tool deploy/missing.sql: sqitch.plan line 6 plans missing, but its deploy script is missing: sqitch deploy stops at it",
    ]);
  });

  it("new refuses, naming sqitch add", async () => {
    const dir = migrationDir(sqitchProject([`orders ${at(1)}`], { "deploy/orders.sql": "SELECT 1;\n" }));
    await expect(newMigration({ dir, name: "more" })).rejects.toThrow(UsageError);
    await expect(newMigration({ dir, name: "more" })).rejects.toThrow(/sqitch add <name>/);
  });
});
