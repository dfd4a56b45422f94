/** Migration directories of tools that keep a manifest or a signature beside the SQL, written as the tools write them. */
import { createHash } from "node:crypto";
import { atlasSum, sumText } from "../../src/migrations/layouts/atlas.js";

/** drizzle-kit's `meta/_journal.json` for these tags, in this order. */
export function drizzleJournal(tags: string[]): string {
  const entries = tags.map((tag, idx) => ({
    idx,
    version: "7",
    when: 1_700_000_000_000 + idx,
    tag,
    breakpoints: true,
  }));
  return JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2);
}

/** graphile-migrate committed files as `graphile-migrate commit` writes them: each body signed with the hash before it. */
export function graphileCommitted(
  bodies: Array<[file: string, body: string, message?: string]>,
): Record<string, string> {
  let previous: string | null = null;
  const files: Record<string, string> = {};
  for (const [file, body, message] of bodies) {
    const text = `${body.trim()}\n`;
    const signed: string = `${`${previous ?? ""}\n${text}`.trim()}\n`;
    const hash: string = `sha1:${createHash("sha1").update(signed).digest("hex")}`;
    const headers = [`--! Previous: ${previous ?? "-"}`, `--! Hash: ${hash}`];
    if (message) headers.push(`--! Message: ${message}`);
    files[`committed/${file}`] = `${headers.join("\n")}\n\n${text}`;
    previous = hash;
  }
  return files;
}

/** An Atlas migration directory: the files and the `atlas.sum` that `atlas migrate hash` writes for them. */
export function atlasDirectory(files: Record<string, string>): Record<string, string> {
  const names = Object.keys(files).sort();
  const sum = atlasSum(names.map((name) => ({ name, bytes: Buffer.from(files[name] as string, "utf8") })));
  return { ...files, "atlas.sum": sumText(sum) };
}

/** A sqitch project: `sqitch.plan` with these lines after its pragmas, and the given scripts. */
export function sqitchProject(planLines: string[], scripts: Record<string, string>): Record<string, string> {
  const plan = [
    "%syntax-version=1.0.0",
    "%project=shop",
    "%uri=https://example.com/shop/",
    "",
    ...planLines,
    "",
  ];
  return { "sqitch.plan": plan.join("\n"), "sqitch.conf": "[core]\n\tengine = pg\n", ...scripts };
}
