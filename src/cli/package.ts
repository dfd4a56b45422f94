/** Files shipped with the package (package.json, docs/), found from this module's own location. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPOSITORY_URL = "https://github.com/safemigrate/safemigrate";

let version: string | undefined;

export function packageVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;
  return version;
}

export function ruleDocsPath(id: string): string {
  return fileURLToPath(new URL(`../../docs/rules/${id}.md`, import.meta.url));
}

export function ruleDocsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${id}.md`;
}
