import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty } from "../../src/cli/reporters/github.js";
import { artifactUri } from "../../src/cli/reporters/sarif.js";
import { runCli } from "../support/cli.js";
import { project, UNSAFE_INDEX } from "./support.js";

describe("github escaping", () => {
  it("escapes %, CR and LF in data, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext: a,b")).toBe("100%25 done%0D%0Anext: a,b");
    expect(escapeProperty("dir:x,y%\n.sql")).toBe("dir%3Ax%2Cy%25%0A.sql");
  });

  it("escapes the message of an annotation", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const { stdout } = await runCli(["lint", "--format", "github", "001_idx.sql"], { cwd });
    const message = stdout.trimEnd().split("::").at(-1) as string;
    expect(message).not.toMatch(/[\r\n]/);
    expect(message.replace(/%25|%0D|%0A/g, "")).not.toContain("%");
  });
});

describe("sarif", () => {
  it("uses relative URIs with forward slashes, and file URIs for absolute paths", () => {
    expect(artifactUri("db\\migrations/001 x.sql")).toBe("db/migrations/001%20x.sql");
    expect(artifactUri("/tmp/a b.sql")).toBe("file:///tmp/a%20b.sql");
  });

  it("describes every rule once, disabled rules included, and counts columns in code points", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const log = JSON.parse((await runCli(["lint", "--format", "sarif", "001_idx.sql"], { cwd })).stdout);
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string; defaultConfiguration: object }>;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(log.runs[0].columnKind).toBe("unicodeCodePoints");
    const off = rules.find((r) => r.id === "drop-column");
    expect(off?.defaultConfiguration).toMatchObject({ enabled: false });
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs[0].tool.driver.informationUri).toMatch(/^https:\/\//);
  });
});
