/** Migration directories and files: discovery, layouts, the Migration model. */
export { type DiscoverOptions, detectLayout, discoverMigrations } from "./discover.js";
export type { LayoutName, Migration, MigrationFile, MigrationSet } from "./migration.js";
export { LAYOUTS } from "./migration.js";
export { checksum, type ReadOptions, readMigrationFile, readMigrationPath } from "./read-file.js";
export { type UpPart, upPart } from "./sections.js";
