/** The runner's public surface, for src/index.ts. */
export {
  baseline,
  contract,
  type RunApiOptions,
  type RunApiResult,
  rollback,
  status,
  up,
} from "./api.js";
export type { GateReason, RunEvent, StepRef } from "./events.js";
export type { MigrationState, StatusRow } from "./status.js";
