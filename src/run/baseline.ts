/** `baseline --to VERSION`: record the migrations up to VERSION as applied, without running them. */
import { discoverMigrations } from "../migrations/discover.js";
import { type LayoutName, selectUpTo } from "../migrations/migration.js";
import { refuseDuplicates } from "../migrations/unread.js";
import { type SessionOptions, withSession } from "./session.js";

export interface BaselineOptions extends SessionOptions {
  dir: string;
  layout?: LayoutName;
  to: string;
}

/** The versions newly recorded (already recorded ones are left as they are). */
export async function baselineMigrations(
  options: BaselineOptions,
): Promise<{ recorded: string[]; skipped: string[] }> {
  const set = await discoverMigrations(options.dir, options.layout ? { layout: options.layout } : {});
  refuseDuplicates(set.notices);
  const selected = selectUpTo(set.migrations, options.to);
  return withSession(options, async (session) => {
    const recorded: string[] = [];
    const skipped: string[] = [];
    for (const m of selected) {
      const fresh = await session.history.baseline(session.conn, {
        version: m.version,
        name: m.name,
        checksum: m.checksum,
        file: m.file.path,
      });
      (fresh ? recorded : skipped).push(m.version);
    }
    return { recorded, skipped };
  });
}
