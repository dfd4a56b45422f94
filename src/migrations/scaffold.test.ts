import { describe, expect, it } from "vitest";
import { layoutByName } from "./layouts/index.js";
import { migrationSlug, nextVersion } from "./names.js";
import { EMPTY_PARTS, type MigrationParts, scaffoldFiles } from "./scaffold.js";
import { upPart } from "./sections.js";

const NOW = new Date("2026-12-04T02:30:15Z");

describe("nextVersion", () => {
  it("numbers an empty directory as the tool does", () => {
    expect(nextVersion(null, "sequence", NOW)).toBe("0001");
    expect(nextVersion(null, "integer", NOW)).toBe("1");
    expect(nextVersion(null, "timestamp", NOW)).toBe("20261204023015");
    expect(nextVersion(null, "dashed-timestamp", NOW)).toBe("2026-12-04-023015");
  });

  it("takes the next integer at the same width", () => {
    expect(nextVersion("0041", "timestamp", NOW)).toBe("0042");
    expect(nextVersion("009", "sequence", NOW)).toBe("010");
    expect(nextVersion("7", "sequence", NOW)).toBe("8");
    expect(nextVersion("99", "sequence", NOW)).toBe("100");
    // flyway: the next major version.
    expect(nextVersion("1.2", "integer", NOW)).toBe("2");
  });

  it("takes a timestamp after a timestamp, later than the newest even when the clock is behind", () => {
    expect(nextVersion("20240101000000", "sequence", NOW)).toBe("20261204023015");
    expect(nextVersion("20991231235959", "timestamp", NOW)).toBe("20991231235960");
    expect(nextVersion("2017-09-23-182408", "dashed-timestamp", NOW)).toBe("2026-12-04-023015");
  });
});

describe("migrationSlug", () => {
  it("joins the words with _", () => {
    expect(migrationSlug("add users email")).toBe("add_users_email");
    expect(migrationSlug("  Rename: Orders.total -> cents! ")).toBe("Rename_Orders_total_cents");
    expect(migrationSlug("grüße_tabelle")).toBe("grüße_tabelle");
    expect(migrationSlug("---")).toBe("");
  });
});

describe("scaffoldFiles", () => {
  const parts: MigrationParts = {
    expand: ["SELECT 1;"],
    contract: ["SELECT 2;"],
    rollback: ["SELECT 3;"],
    noTransaction: false,
  };
  const files = (layout: Parameters<typeof layoutByName>[0], p: MigrationParts = parts) =>
    scaffoldFiles(layoutByName(layout), "0002", "add_x", p);
  const UP =
    "-- safemigrate:expand\nSELECT 1;\n\n-- safemigrate:contract\nSELECT 2;\n\n-- safemigrate:rollback\nSELECT 3;\n";

  it("writes the phase sections and the rollback section in the up part, and the tool's files", () => {
    expect(files("plain")).toEqual([{ rel: "0002_add_x.sql", text: UP }]);
    const [up, down] = files("golang-migrate");
    expect(up).toEqual({ rel: "0002_add_x.up.sql", text: UP });
    // The tool's own down undoes the whole migration: left for the user, saying why.
    expect(down?.rel).toBe("0002_add_x.down.sql");
    expect(down?.text).toMatch(
      /^-- Undoing the whole migration .*\n-- .*\n-- part, which undoes the expand only\.\n$/,
    );
    expect(files("diesel").map((f) => f.rel)).toEqual(["0002_add_x/up.sql", "0002_add_x/down.sql"]);
    expect(files("prisma").map((f) => f.rel)).toEqual(["0002_add_x/migration.sql"]);
    expect(files("flyway").map((f) => f.rel)).toEqual(["V0002__add_x.sql"]);
    expect(files("pop").map((f) => f.rel)).toEqual(["0002_add_x.up.sql", "0002_add_x.down.sql"]);
  });

  it("puts the rollback section inside goose's and dbmate's up section, before the tool's down marker", () => {
    for (const layout of ["goose", "dbmate"] as const) {
      const [file] = files(layout);
      const up = upPart(file?.text ?? "", [layout]).upText;
      expect(up).toContain("-- safemigrate:rollback\nSELECT 3;\n");
    }
    expect(files("goose")[0]?.text).toMatch(
      /^-- \+goose Up\n-- safemigrate:expand\n[\s\S]*\n-- safemigrate:rollback\nSELECT 3;\n\n-- \+goose Down\n-- Undoing/,
    );
    expect(files("dbmate")[0]?.text).toMatch(
      /\n-- safemigrate:rollback\nSELECT 3;\n\n-- migrate:down\n-- Undoing/,
    );
  });

  it("gives the rollback section its own transaction opt-out", () => {
    expect(files("plain", { ...parts, noTransaction: true })[0]?.text).toContain(
      "-- safemigrate:rollback\n-- safemigrate:no-transaction\nSELECT 3;\n",
    );
  });

  it("opts a file out of the tool's transaction in the tool's own way", () => {
    const alone = { ...parts, noTransaction: true };
    expect(files("goose", alone)[0]?.text).toMatch(
      /^-- \+goose NO TRANSACTION\n-- \+goose Up\n-- safemigrate:no-transaction\n/,
    );
    expect(files("dbmate", alone)[0]?.text).toMatch(
      /^-- migrate:up transaction:false\n-- safemigrate:no-transaction\n/,
    );
    expect(files("diesel", alone).at(-1)).toEqual({
      rel: "0002_add_x/metadata.toml",
      text: "run_in_transaction = false\n",
    });
    expect(files("flyway", alone).at(-1)).toEqual({
      rel: "V0002__add_x.sql.conf",
      text: "executeInTransaction=false\n",
    });
  });

  it("wraps a dollar-quoted body in goose StatementBegin/End", () => {
    const body = {
      ...EMPTY_PARTS,
      expand: ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1; $f$;"],
    };
    expect(files("goose", body)[0]?.text).toContain(
      "-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1; $f$;\n-- +goose StatementEnd\n",
    );
    expect(files("plain", body)[0]?.text).not.toContain("StatementBegin");
  });

  it("writes an empty migration with its sections", () => {
    expect(scaffoldFiles(layoutByName("dbmate"), "1", "x", EMPTY_PARTS)[0]?.text).toBe(
      "-- migrate:up\n-- safemigrate:expand\n\n\n-- safemigrate:contract\n\n\n-- migrate:down\n",
    );
  });
});
