import { lintReport } from "../../api/lint.js";
import type { ReportContext } from "./context.js";

/** The version 1 JSON contract, on one line (pipe through `jq` to read it). */
export function renderJson({ run }: ReportContext): string {
  return `${JSON.stringify(lintReport(run))}\n`;
}
