import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("a run without the corpus", () => {
  it("takes the corpus from SAFEMIGRATE_CORPUS, and says why its tests do not run when it is not there", async () => {
    vi.stubEnv("SAFEMIGRATE_CORPUS", "/nonexistent/corpus");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { CORPUS_ROOT, corpusMissing } = await import("./corpus.js");
    expect(CORPUS_ROOT).toBe("/nonexistent/corpus");
    const reason = corpusMissing("the corpus lint tests");
    expect(reason).toBe(
      "[safemigrate test] skipped: the corpus lint tests: no corpus at /nonexistent/corpus (SAFEMIGRATE_CORPUS)",
    );
    expect(warn).toHaveBeenCalledWith(reason);
  });

  it("runs the corpus tests when SAFEMIGRATE_CORPUS names a directory that exists", async () => {
    vi.stubEnv("SAFEMIGRATE_CORPUS", process.cwd());
    const { corpusMissing } = await import("./corpus.js");
    expect(corpusMissing("the corpus lint tests")).toBeNull();
  });

  it("repeats each skip line once under the run's summary, and prints nothing when nothing was skipped", async () => {
    const { default: SkipSummary } = await import("./skip-summary.js");
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const quiet = new SkipSummary();
    quiet.onUserConsoleLog({ content: "an ordinary line\n", type: "stdout", time: 0, size: 1 });
    quiet.onTestRunEnd();
    expect(write).not.toHaveBeenCalled();

    const summary = new SkipSummary();
    const line = "[safemigrate test] skipped: the corpus replays: no corpus at /x (SAFEMIGRATE_CORPUS)\n";
    summary.onUserConsoleLog({ content: line, type: "stderr", time: 0, size: 1 });
    summary.onUserConsoleLog({ content: line, type: "stderr", time: 1, size: 1 });
    summary.onTestRunEnd();
    expect(write.mock.calls.map((call) => call[0]).join("")).toBe(
      "\n[safemigrate test] 1 part(s) of the suite did not run:\n  the corpus replays: no corpus at /x (SAFEMIGRATE_CORPUS)\n",
    );
  });
});
