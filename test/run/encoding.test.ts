/**
 * A BOM + CRLF migration runs, and its checksum is the sha256 of the file's bytes as before BOMs were dropped:
 * a history recorded by an earlier version still matches (status does not call it drifted, up does not stop).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir, writeFiles } from "./helpers.js";

const FIRST = "\uFEFFCREATE TABLE enc_a (id bigint PRIMARY KEY);\r\nCREATE INDEX enc_a_id ON enc_a (id);\r\n";
const SECOND =
  "\uFEFF-- +goose Up\r\nCREATE TABLE enc_b (id bigint);\r\n-- +goose Down\r\nDROP TABLE enc_b;\r\n";

describe.each(testMajors())("BOM and CRLF on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const states = async (dir: string, schema: string) => {
    const result = await cli(["status", dir, "--format", "json", "--history-schema", schema], db.url);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout).migrations.map((m: { state: string }) => m.state);
  };

  it("runs a BOM + CRLF file, records the sha256 of its bytes and reports it complete", async () => {
    const schema = "h_enc";
    const dir = migrationDir({ "001_a.sql": FIRST });
    const up = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    const [row] = await db.sql`SELECT checksum FROM h_enc.migrations WHERE version = '001'`;
    const bytes = readFileSync(join(dir, "001_a.sql"));
    expect(row?.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(await states(dir, schema)).toEqual(["complete"]);

    // A later BOM + CRLF file: the applied one is still not drifted, the new one runs.
    writeFiles(dir, { "002_b.sql": FIRST.replaceAll("enc_a", "enc_c") });
    const again = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(await states(dir, schema)).toEqual(["complete", "complete"]);
  });

  it("a goose file with a BOM, baselined, stays complete", async () => {
    const schema = "h_enc_goose";
    const dir = migrationDir({ "001_b.sql": SECOND });
    const baseline = await cli(["baseline", dir, "--to", "001", "--history-schema", schema], db.url);
    expect(baseline.code).toBe(0);
    expect(await states(dir, schema)).toEqual(["complete"]);
    const up = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(up.code).toBe(0);
    expect(up.stderr).toBe("");
  });
});
