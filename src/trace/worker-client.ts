/**
 * The main-thread side of the embedded shadow in a worker (./shadow-worker.ts): a Shadow whose calls are
 * messages. Requests are numbered; id 0 is the worker's "ready" (or start-up failure).
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type Shadow, ShadowError } from "../shadow/shadow.js";
import type { JobShadow, TraceJob, TraceOutcome } from "./job.js";

/** A ShadowError as plain data: structured clone keeps only an Error's message and stack. */
export interface ErrorParts {
  message: string;
  code: string;
  position: number | null;
}

export function errorParts(error: unknown): ErrorParts {
  const { message, code, position } = ShadowError.from(error);
  return { message, code, position };
}

/** A trace outcome with its failures as plain data, to cross to the other thread. */
export function flattenOutcome(outcome: TraceOutcome): TraceOutcome {
  for (const { trace } of outcome.steps) {
    if (trace.failure) trace.failure.error = errorParts(trace.failure.error) as ShadowError;
  }
  return outcome;
}

function reviveOutcome(outcome: TraceOutcome): TraceOutcome {
  for (const { trace } of outcome.steps) {
    if (!trace.failure) continue;
    const { message, code, position } = trace.failure.error as unknown as ErrorParts;
    trace.failure.error = new ShadowError(message, code, position);
  }
  return outcome;
}

type Body =
  | { op: "exec" | "rows"; sql: string }
  | { op: "job"; job: TraceJob }
  | { op: "open"; extensions: string[] };
export type Request = Body & { id: number };

export type Reply = { id: number; result: unknown } | { id: number; error: ErrorParts };

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** A shadow being started: `open` once the migrations' extensions are known, or `discard` it. */
export interface ShadowStarter {
  open(extensions: string[]): Promise<Shadow | JobShadow>;
  discard(): Promise<void>;
}

/**
 * Starts the embedded shadow's thread now (when built), to open it later. From the TypeScript sources
 * (tests) there is no worker script: the shadow then opens in this thread. This module does not load
 * PGlite itself, so that the main thread never pays for it.
 */
export function startEmbeddedShadow(env?: Record<string, string | undefined>): ShadowStarter {
  const worker = new URL("./worker.js", import.meta.url);
  if (existsSync(worker)) return spawnShadowWorker(worker, env);
  return {
    open: async (extensions) =>
      (await import("../shadow/embedded.js")).openEmbeddedShadowHere({ extensions, ...(env ? { env } : {}) }),
    discard: async () => {},
  };
}

/**
 * Starts the worker now; it reads what it can before `open` sends the extensions. Request 0 is the open
 * (answered with the server version, or the start-up failure).
 */
function spawnShadowWorker(script: URL, env: Record<string, string | undefined> | undefined): ShadowStarter {
  const worker = new Worker(script, { workerData: { env } });
  const pending = new Map<number, Pending>();
  let next = 0;
  const settle = (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if ("error" in reply) {
      const { message, code, position } = reply.error;
      waiting?.reject(new ShadowError(message, code, position));
    } else waiting?.resolve(reply.result);
  };
  const abort = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on("message", settle);
  worker.on("error", abort);
  worker.on("exit", (code) => abort(new Error(`the embedded shadow stopped (exit ${code})`)));
  const call = (request: Body) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  // The shadow lives in memory and nothing of it is kept: ending the thread is closing it (a clean
  // PGlite close first would only cost time).
  const discard = async () => void (await worker.terminate());
  return {
    discard,
    async open(extensions) {
      const serverVersion = await call({ op: "open", extensions }).catch(async (error: unknown) => {
        await discard();
        throw error;
      });
      return {
        engine: "pglite",
        serverVersion: String(serverVersion),
        exec: async (sql) => (await call({ op: "exec", sql })) as unknown[][],
        rows: async <T>(sql: string) => (await call({ op: "rows", sql })) as T[],
        runJob: async (job) => reviveOutcome((await call({ op: "job", job })) as TraceOutcome),
        close: discard,
      };
    },
  };
}
