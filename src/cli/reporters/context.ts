import type { RuleSetting } from "../../analysis/lint.js";
import type { LintRun } from "../../api/lint.js";
import type { Palette } from "../io.js";

/** What every reporter gets: the run and how to present it. */
export interface ReportContext {
  run: LintRun;
  paint: Palette;
  /** Per-rule severity overrides in effect (SARIF describes the configured rules). */
  rules: Record<string, RuleSetting>;
}
