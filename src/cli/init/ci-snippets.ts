/**
 * The CI set-ups `safemigrate init` prints: the GitHub Action on pull requests, and GitLab CI jobs for
 * merge requests (lint as a Code Quality report, plan as a Markdown artifact). One module, so that they
 * stay in step with action.yml and docs/ci.md.
 */

/** The GitHub Action, as `uses:` names it. */
export const GITHUB_ACTION = "safemigrate/safemigrate@v0";
/** The npm package, major version pinned, for CI images without it installed. */
const NPX = "npx --yes safemigrate@0";

/** A YAML scalar: as written when plain YAML keeps it a string, else double-quoted. */
function yamlScalar(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : JSON.stringify(value);
}

/** A shell word: as written when the shell leaves it alone, else single-quoted. */
function shellWord(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `paths:` / `changes:` patterns: what, changed, makes the migrations worth checking again. */
function watched(migrationsDir: string, configFile: string): string[] {
  return [`${migrationsDir}/**`, configFile];
}

/** `.github/workflows/safemigrate.yml`. */
export function githubActionsSnippet(migrationsDir: string, configFile: string): string {
  const paths = watched(migrationsDir, configFile).map((p) => `      - ${JSON.stringify(p)}`);
  return [
    "name: migrations",
    "on:",
    "  pull_request:",
    "    paths:",
    ...paths,
    "jobs:",
    "  safemigrate:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          fetch-depth: 0 # the base branch's history: only the migrations the pull request changes are linted",
    `      - uses: ${GITHUB_ACTION}`,
    "        with:",
    `          migrations: ${yamlScalar(migrationsDir)}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    "          base-ref: origin/${{ github.base_ref }}",
    "",
  ].join("\n");
}

/**
 * `.gitlab-ci.yml`: two jobs, so that findings that fail `lint` do not stop `plan`. `$CI_MERGE_REQUEST_DIFF_BASE_SHA`
 * is where the merge request's diff starts; a full clone (`GIT_DEPTH: 0`) has it.
 */
export function gitlabCiSnippet(migrationsDir: string, configFile: string): string {
  const changes = watched(migrationsDir, configFile).map((p) => `        - ${JSON.stringify(p)}`);
  const dir = shellWord(migrationsDir);
  return [
    ".safemigrate:",
    "  image: node:22",
    "  rules:",
    '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
    "      changes:",
    ...changes,
    "",
    "safemigrate-lint:",
    "  extends: .safemigrate",
    "  variables:",
    '    GIT_DEPTH: "0"',
    "  script:",
    `    - ${NPX} lint ${dir} --changed-since "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format gitlab > gl-code-quality-report.json`,
    "  artifacts:",
    "    when: always",
    "    reports:",
    "      codequality: gl-code-quality-report.json",
    "",
    "safemigrate-plan:",
    "  extends: .safemigrate",
    "  script:",
    `    - ${NPX} plan ${dir} --format markdown > safemigrate-plan.md`,
    "  artifacts:",
    "    when: always",
    "    expose_as: safemigrate plan",
    "    paths:",
    "      - safemigrate-plan.md",
    "",
  ].join("\n");
}
