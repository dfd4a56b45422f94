import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "validate-in-same-transaction";
const addCheck = "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;";
const validate = "ALTER TABLE orders VALIDATE CONSTRAINT c;";

describe(rule, () => {
  it.each([
    ["a check, statements in one implicit transaction", `${addCheck}\n${validate}`],
    ["inside one BEGIN ... COMMIT", `BEGIN;\n${addCheck}\n${validate}\nCOMMIT;`],
    [
      "a foreign key, multi-line",
      "ALTER TABLE orders\n  ADD CONSTRAINT fk FOREIGN KEY (user_id)\n  REFERENCES users (id) NOT VALID;\nALTER TABLE orders\n  VALIDATE CONSTRAINT fk;",
    ],
    [
      "a table created by an earlier migration",
      ["CREATE TABLE orders (total int);", `${addCheck}\n${validate}`],
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("names the lock the ADD took and points at the VALIDATE", () => {
    const [finding] = findingsOf(
      rule,
      "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;\n  ALTER TABLE orders VALIDATE CONSTRAINT fk;",
    );
    expect(finding).toMatchObject({ line: 2, column: 3 });
    expect(finding?.message).toBe(
      "VALIDATE CONSTRAINT fk runs in the transaction that added it NOT VALID, so the lock the ADD took, a SHARE ROW EXCLUSIVE lock on orders (blocks writes), is held through the full validation scan",
    );
  });

  it.each([
    ["validation in the next migration", [addCheck, validate]],
    [
      "validation in a later explicit transaction",
      `BEGIN;\n${addCheck}\nCOMMIT;\nBEGIN;\n${validate}\nCOMMIT;`,
    ],
    ["a file run statement by statement", `-- safemigrate:no-transaction\n${addCheck}\n${validate}`],
    ["a constraint added by an earlier migration", validate],
    ["a table created in the same migration", `CREATE TABLE orders (total int);\n${addCheck}\n${validate}`],
    [
      "ignored by directive",
      `${addCheck}\n-- safemigrate:ignore validate-in-same-transaction -- empty in prod\n${validate}`,
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
