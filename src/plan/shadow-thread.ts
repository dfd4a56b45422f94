/**
 * The main-thread side of the embedded shadow in a worker (./shadow-worker.ts): a Shadow whose calls are
 * messages. Requests are numbered; id 0 is the worker's "ready" (or start-up failure).
 */
import { Worker } from "node:worker_threads";
import { type Shadow, ShadowError } from "./shadow.js";
import type { EmbeddedOptions } from "./shadow-embedded.js";

type Body = { op: "exec" | "rows"; sql: string } | { op: "close" };
export type Request = Body & { id: number };

export type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { message: string; code: string; position: number | null } };

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

export async function openShadowInWorker(script: URL, options: EmbeddedOptions): Promise<Shadow> {
  const worker = new Worker(script, { workerData: options });
  const pending = new Map<number, Pending>();
  let next = 1;
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
  const serverVersion = await new Promise<unknown>((resolve, reject) => {
    pending.set(0, { resolve, reject });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    engine: "pglite",
    serverVersion: String(serverVersion),
    exec: async (sql) => (await call({ op: "exec", sql })) as unknown[][],
    rows: async <T>(sql: string) => (await call({ op: "rows", sql })) as T[],
    close: async () => {
      await call({ op: "close" }).catch(() => {});
      // PGlite leaves handles open after close; the worker has nothing left to do.
      await worker.terminate();
    },
  };
}
