import { describe, expect, it } from "vitest";
import { blank, downPart, hasMarkers, splitRollback, upPart } from "./sections.js";

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("up sections", () => {
  const goose = [
    "-- +goose NO TRANSACTION", // 1
    "-- +goose Up", // 2
    "-- +goose StatementBegin", // 3
    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;", // 4
    "-- +goose StatementEnd", // 5
    "", // 6
    "CREATE INDEX CONCURRENTLY i ON t (a);", // 7
    "-- +goose Down", // 8
    "DROP INDEX i;", // 9
    "DROP FUNCTION f;", // 10
  ].join("\n");

  it("keeps the goose Up section at its original lines and blanks the rest", () => {
    const up = upPart(goose);
    expect(up.upText).toHaveLength(goose.length);
    expect(up.upText.split("\n")).toHaveLength(goose.split("\n").length);
    expect(lineOf(up.upText, "CREATE INDEX CONCURRENTLY")).toBe(7);
    expect(up.upText.indexOf("CREATE INDEX")).toBe(goose.indexOf("CREATE INDEX"));
    expect(up.upText).not.toContain("DROP");
    expect(up.upText).toContain("-- +goose StatementBegin");
    expect(up.upText).not.toContain("NO TRANSACTION");
    expect(up.noTransaction).toBe(true);
    expect(up.markers).toBe("goose");
  });

  it("reads goose annotations case-insensitively and without transaction opt-out by default", () => {
    const up = upPart("--  +goose up\nSELECT 1;\n-- +goose down\nSELECT 2;\n");
    expect(up.upText).toContain("SELECT 1;");
    expect(up.upText).not.toContain("SELECT 2;");
    expect(up.noTransaction).toBe(false);
  });

  it("keeps the dbmate up section and honours transaction:false", () => {
    const text =
      "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n";
    const up = upPart(text);
    expect(up).toMatchObject({ noTransaction: true, markers: "dbmate" });
    expect(up.upText).toContain("CREATE INDEX CONCURRENTLY");
    expect(up.upText).not.toContain("DROP INDEX");
    expect(up.upText).toHaveLength(text.length);
    expect(upPart("-- migrate:up\nSELECT 1;\n").noTransaction).toBe(false);
  });

  it("honours several up sections, and down before up", () => {
    const text = "-- migrate:down\nDROP TABLE a;\n-- migrate:up\nCREATE TABLE a ();\n";
    const up = upPart(text);
    expect(up.upText).not.toContain("DROP");
    expect(lineOf(up.upText, "CREATE TABLE")).toBe(4);
  });

  it("keeps a file without markers whole, and the part before a lone down marker", () => {
    expect(upPart("SELECT 1;\n").upText).toBe("SELECT 1;\n");
    expect(upPart("SELECT 1;\n-- migrate:down\nSELECT 2;").upText).toBe(
      "SELECT 1;\n               \n         ",
    );
  });

  it("only honours the markers asked for", () => {
    const text = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n";
    expect(upPart(text, ["goose"]).upText).toBe(text);
    expect(upPart(text, ["dbmate"]).upText).not.toContain("SELECT 2");
  });

  it("keeps CRLF line breaks and string indices of non-BMP characters", () => {
    const text = "-- +goose Up\r\nSELECT '😀';\r\n-- +goose Down\r\nSELECT '😀😀';\r\n";
    const up = upPart(text);
    expect(up.upText).toHaveLength(text.length);
    expect(up.upText.match(/\r\n/g)).toHaveLength(4);
    expect(blank("a😀\r\nb")).toBe("   \r\n ");
  });

  it("detects markers", () => {
    expect(hasMarkers("-- +goose Up\n", "goose")).toBe(true);
    expect(hasMarkers("-- +goose StatementBegin\n", "goose")).toBe(false);
    expect(hasMarkers("-- migrate:up\n", "dbmate")).toBe(true);
    expect(hasMarkers("SELECT '-- migrate:up';\n", "dbmate")).toBe(false);
  });
});

describe("rollback sections", () => {
  const text = [
    "-- safemigrate:expand", // 1
    "ALTER TABLE t ADD COLUMN b int;", // 2
    "-- safemigrate:rollback -- undo the expand", // 3
    "ALTER TABLE t DROP COLUMN b;", // 4
    "-- safemigrate:contract", // 5
    "ALTER TABLE t DROP COLUMN a;", // 6
  ].join("\n");

  it("takes the section off the up part, from its marker to the next phase marker, geometry kept", () => {
    const split = splitRollback(text);
    expect(split.upText).toHaveLength(text.length);
    expect(split.rollbackText).toHaveLength(text.length);
    expect(split.upText).not.toContain("DROP COLUMN b");
    expect(split.upText).not.toContain("safemigrate:rollback");
    expect(split.upText).toContain("DROP COLUMN a");
    expect(lineOf(split.rollbackText as string, "DROP COLUMN b")).toBe(4);
    expect(split.rollbackText?.trim()).toBe("ALTER TABLE t DROP COLUMN b;");
  });

  it("runs to the end of the up part: a goose Down section is not in it", () => {
    const goose =
      "-- +goose Up\nCREATE TABLE a ();\n-- safemigrate:rollback\nDROP TABLE a;\n-- +goose Down\nDROP TABLE a CASCADE;\n";
    const split = splitRollback(upPart(goose, ["goose"]).upText);
    expect(split.rollbackText?.trim()).toBe("DROP TABLE a;");
    expect(split.upText).toContain("CREATE TABLE a ();");
    expect(split.upText).not.toContain("DROP");
  });

  it("leaves a file without a marker alone, and needs the marker on a line of its own", () => {
    expect(splitRollback("SELECT 1;\n")).toEqual({
      upText: "SELECT 1;\n",
      rollbackText: null,
      checksumText: "SELECT 1;\n",
    });
    const inline = "SELECT 1; -- safemigrate:rollback\nSELECT 2;\n";
    expect(splitRollback(inline)).toEqual({ upText: inline, rollbackText: null, checksumText: inline });
  });
});

describe("down sections", () => {
  it("reads the goose Down section, NO TRANSACTION covering the file", () => {
    const goose =
      "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n";
    const down = downPart(goose, "goose");
    expect(down?.noTransaction).toBe(true);
    expect(down?.downText.trim()).toBe("DROP INDEX CONCURRENTLY i;");
    expect(lineOf(down?.downText as string, "DROP INDEX")).toBe(5);
  });

  it("reads dbmate down sections with their own transaction:false", () => {
    const dbmate = "-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\nSELECT 2;\n";
    expect(downPart(dbmate, "dbmate")).toEqual({
      downText: expect.stringContaining("SELECT 2;"),
      noTransaction: true,
    });
    expect(downPart(dbmate, "dbmate")?.downText).not.toContain("SELECT 1");
    expect(downPart("-- migrate:up\nSELECT 1;\n", "dbmate")).toBeNull();
  });
});
