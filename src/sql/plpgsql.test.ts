import { beforeAll, describe, expect, it } from "vitest";
import { initParser } from "./parse.js";
import { plpgsqlControlsTransaction } from "./plpgsql.js";

beforeAll(() => initParser());

describe("plpgsqlControlsTransaction", () => {
  it.each([
    ["a COMMIT in a loop", "BEGIN FOR i IN 1..3 LOOP UPDATE t SET a = i; COMMIT; END LOOP; END", true],
    ["a ROLLBACK in a branch", "BEGIN IF random() > 2 THEN ROLLBACK; END IF; END", true],
    ["no transaction control", "BEGIN UPDATE t SET a = 1; END", false],
    ["COMMIT only in a string and a comment", "BEGIN RAISE NOTICE 'COMMIT;'; -- COMMIT;\nEND", false],
    ["the wrapper's quote tag in the body", "BEGIN RAISE NOTICE '$sm$'; COMMIT; END", true],
  ])("%s", (_name, body, expected) => {
    expect(plpgsqlControlsTransaction(body)).toBe(expected);
  });

  it("is null for a body that does not parse", () => {
    expect(plpgsqlControlsTransaction("BEGIN COMMIT")).toBeNull();
  });
});
