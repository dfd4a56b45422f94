/** Lint output formats. */
import type { Format } from "../../config/index.js";
import type { ReportContext } from "./context.js";
import { renderGithub } from "./github.js";
import { renderGitlab } from "./gitlab.js";
import { renderJson } from "./json.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

export type { ReportContext } from "./context.js";

export const REPORTERS: Record<Format, (context: ReportContext) => string> = {
  text: renderText,
  json: renderJson,
  github: renderGithub,
  gitlab: renderGitlab,
  sarif: renderSarif,
};
