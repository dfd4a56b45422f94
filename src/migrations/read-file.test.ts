import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { readMigrationFile, readMigrationPath } from "./read-file.js";

describe("readMigrationFile", () => {
  it.each(["plain", "golang-migrate", "flyway", "goose"] as const)(
    "keeps a -- safemigrate:rollback section out of the up part and its checksum (%s)",
    (layout) => {
      const up = "-- +goose Up\nALTER TABLE t ADD COLUMN b int;\n";
      const text = `${up}-- safemigrate:rollback\nALTER TABLE t DROP COLUMN b;\n`;
      const m = readMigrationFile("0001_add_b.sql", text, { layout });
      expect(m.file.upText).not.toContain("DROP COLUMN");
      expect(m.file.rollbackText?.trim()).toBe("ALTER TABLE t DROP COLUMN b;");
      // Adding the rollback section later is not drift.
      expect(m.checksum).toBe(readMigrationFile("0001_add_b.sql", up, { layout }).checksum);
      expect(readMigrationFile("0001_add_b.sql", up, { layout }).file.rollbackText).toBeUndefined();
    },
  );

  it("honours goose markers in any file and keeps line numbers", () => {
    const text =
      "-- +goose Up\n\n\n\n\n\nALTER TABLE t ADD COLUMN b int;\n-- +goose Down\nALTER TABLE t DROP COLUMN b;\n";
    const m = readMigrationFile("db/20240101_add_b.sql", text);
    expect(m).toMatchObject({ version: "20240101", name: "add_b", layout: "goose" });
    expect(m.file.upText.split("\n")[6]).toBe("ALTER TABLE t ADD COLUMN b int;");
    expect(m.file.upText).not.toContain("DROP COLUMN");
    expect(m.file.text).toBe(text);
    expect(m.file).toMatchObject({
      runsInTransaction: true,
      noTransaction: false,
      path: "db/20240101_add_b.sql",
    });
  });

  it("honours dbmate markers in stdin and uses the file name as version", () => {
    const m = readMigrationFile(
      "<stdin>",
      "-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nSELECT 2;\n",
    );
    expect(m).toMatchObject({ version: "<stdin>", layout: "dbmate" });
    expect(m.file).toMatchObject({ noTransaction: true, runsInTransaction: false, path: "<stdin>" });
    expect(m.file.upText).not.toContain("SELECT 2");
  });

  it("refuses binary content as not a text file, and keeps text with a few odd characters", () => {
    const refuse = (text: string) => () => readMigrationFile("001_b.sql", text);
    expect(refuse("SELECT 1;\0")).toThrow(
      new UsageError("001_b.sql: not a text file (binary content, not SQL)"),
    );
    expect(refuse("\x7fELF\x02\x01\x01")).toThrow(UsageError);
    expect(refuse("\uFFFD\uFFFD\uFFFDx")).toThrow(UsageError);
    // One undecodable byte (a Latin-1 accent) and a form feed in a long enough file are still text.
    expect(readMigrationFile("001_t.sql", "-- caf\uFFFD\f\nCREATE TABLE t (id int);\n").file.text).toContain(
      "t (id",
    );
  });

  it("parses the names of every layout", () => {
    const cases: Array<[string, object]> = [
      ["V1_2__add.sql", { layout: "flyway", version: "1.2", name: "add" }],
      ["R__views.sql", { layout: "flyway", name: "views", repeatable: true }],
      ["3_x.up.sql", { layout: "golang-migrate", version: "3", name: "x" }],
      [
        "20200101000000_x.postgres.autocommit.up.sql",
        { layout: "pop", version: "20200101000000", name: "x" },
      ],
      ["m/2017-09-23-182408_x/up.sql", { layout: "diesel", version: "2017-09-23-182408", name: "x" }],
      ["m/20230404095503_init/migration.sql", { layout: "prisma", version: "20230404095503", name: "init" }],
      ["0001_init.sql", { layout: "plain", version: "0001", name: "init" }],
      ["schema.sql", { layout: "plain", version: "schema.sql", name: "schema" }],
    ];
    for (const [path, expected] of cases)
      expect(readMigrationFile(path, "SELECT 1;"), path).toMatchObject(expected);
    expect(readMigrationFile("20200101000000_x.postgres.autocommit.up.sql", "").file.noTransaction).toBe(
      true,
    );
  });

  it("checksums the up part exactly", () => {
    const m = readMigrationFile("1_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n");
    expect(m.checksum).toBe(createHash("sha256").update(m.file.upText).digest("hex"));
    const same = readMigrationFile("1_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 3;\n");
    expect(same.checksum).toBe(m.checksum);
    expect(readMigrationFile("1_a.sql", "SELECT 1; ").checksum).not.toBe(
      readMigrationFile("1_a.sql", "SELECT 1;").checksum,
    );
  });
});

describe("readMigrationPath", () => {
  const roots: string[] = [];
  afterAll(async () => {
    await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  });

  it("honours diesel metadata.toml next to a lone up.sql", async () => {
    const root = await mkdtemp(join(tmpdir(), "safemigrate-file-"));
    roots.push(root);
    await mkdir(join(root, "2024-01-01-000000_idx"));
    await writeFile(join(root, "2024-01-01-000000_idx", "up.sql"), "CREATE INDEX CONCURRENTLY i ON t (a);");
    await writeFile(join(root, "2024-01-01-000000_idx", "metadata.toml"), "run_in_transaction = false\n");
    const m = await readMigrationPath(join(root, "2024-01-01-000000_idx", "up.sql"));
    expect(m).toMatchObject({ layout: "diesel", version: "2024-01-01-000000", name: "idx" });
    expect(m.file).toMatchObject({ noTransaction: true, runsInTransaction: false });
  });

  it("throws a one-line UsageError for a missing file", async () => {
    const error = await readMigrationPath("migrations-x/1_a.sql").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("cannot read migrations-x/1_a.sql: no such file or directory");
  });
});

describe("byte order mark and CRLF", () => {
  const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

  it("drops a leading BOM from the text and keeps the checksum of the text as read with it", () => {
    const original = "\uFEFFCREATE TABLE t (id int);\r\n";
    const m = readMigrationFile("1_a.sql", original, { layout: "plain" });
    expect(m.file.text).toBe("CREATE TABLE t (id int);\r\n");
    expect(m.file.upText).toBe("CREATE TABLE t (id int);\r\n");
    // The checksum before BOMs were dropped: sha256 of the up part with the BOM in it.
    expect(m.checksum).toBe(sha(original));
  });

  it("keeps the old checksum of a goose file whose BOM was blanked with its first line", () => {
    const original = "\uFEFF-- header\r\n-- +goose Up\r\nSELECT 1;\r\n-- +goose Down\r\nSELECT 2;\r\n";
    const m = readMigrationFile("1_a.sql", original, { layout: "goose" });
    expect(m.file.text.startsWith("-- header")).toBe(true);
    expect(m.checksum).toBe(
      sha(`${" ".repeat(10)}\r\n-- +goose Up\r\nSELECT 1;\r\n${" ".repeat(14)}\r\n${" ".repeat(9)}\r\n`),
    );
    const guessed = readMigrationFile("1_a.sql", original);
    expect(guessed.checksum).toBe(m.checksum);
  });

  it("reads CRLF goose sections as LF ones", () => {
    const lf = "-- +goose NO TRANSACTION\n-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n";
    const crlf = readMigrationFile("1_a.sql", lf.replaceAll("\n", "\r\n"));
    expect(crlf.file.upText.replaceAll("\r\n", "\n")).toBe(readMigrationFile("1_a.sql", lf).file.upText);
    expect(crlf.file.noTransaction).toBe(true);
  });
});
