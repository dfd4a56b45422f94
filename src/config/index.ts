/** Configuration: layered loading, validation, durations, password redaction. */
export { formatDuration, parseDuration } from "../duration.js";
export { CONFIG_FILE, envName, flagName, type LoadConfigOptions, loadConfig } from "./load.js";
export { redact } from "./redact.js";
export {
  CONFIG_KEYS,
  type Config,
  type ConfigKey,
  DEFAULTS,
  FORMATS,
  type Format,
  KEYS,
  RUNNERS,
  type Runner,
} from "./schema.js";
export { closeMatches, didYouMean } from "./suggest.js";
