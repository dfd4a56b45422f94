/**
 * The files a branch changes, as git says: added, modified or renamed (under the new name) since the merge
 * base of `<ref>` and HEAD (what a pull request into `<ref>` shows, `git diff <ref>...HEAD`), plus what is
 * not committed yet: changes in the working tree and untracked files that are not ignored, so that a
 * check before committing sees the migration being written. In CI the working tree is HEAD, and this is the
 * pull request's diff exactly.
 */
import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { UsageError } from "../errors.js";

const run = promisify(execFile);

/** What a failed `execFile` carries. */
interface GitError {
  code?: number | string;
  stderr?: string;
}

async function git(args: string[], cwd: string, flag: string): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if ((error as GitError).code === "ENOENT")
      throw new UsageError(`${flag}: git is not installed (or not on PATH)`);
    throw error;
  }
}

/** Null when the command fails (exit code not 0): the caller says why in its own words. */
async function gitOrNull(args: string[], cwd: string, flag: string): Promise<string | null> {
  try {
    return await git(args, cwd, flag);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return null;
  }
}

const paths = (output: string) => output.split("\0").filter(Boolean);

/**
 * The real paths (symbolic links resolved) of the files changed since the merge base of `ref` and HEAD.
 * Not a git repository, an unknown ref or no common ancestor: a one-line `UsageError` starting with `flag`.
 */
export async function changedFiles(ref: string, cwd: string, flag = "--changed-since"): Promise<Set<string>> {
  const top = await gitOrNull(["rev-parse", "--show-toplevel"], cwd, flag);
  if (top === null) throw new UsageError(`${flag}: ${cwd} is not in a git repository`);
  const root = top.trim();
  // `--end-of-options`: a ref that starts with `-` is a ref, not an option.
  const commit = await gitOrNull(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`],
    root,
    flag,
  );
  if (commit === null) throw new UsageError(`${flag}: unknown git ref '${ref}'`);
  const base = await gitOrNull(["merge-base", commit.trim(), "HEAD"], root, flag);
  if (base === null) {
    throw new UsageError(
      `${flag}: '${ref}' and HEAD have no common ancestor (in a shallow clone, fetch the history: fetch-depth: 0)`,
    );
  }
  const [diff, untracked] = await Promise.all([
    git(["diff", "--name-only", "-z", "--find-renames", "--diff-filter=AMR", base.trim(), "--"], root, flag),
    git(["ls-files", "-z", "--others", "--exclude-standard"], root, flag),
  ]);
  const real = realpathSync(root);
  return new Set([...paths(diff), ...paths(untracked)].map((p) => resolve(real, p)));
}

/** The real path of `path` (relative to `cwd`), to compare with `changedFiles`; the resolved path if it is gone. */
export function realPath(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}
