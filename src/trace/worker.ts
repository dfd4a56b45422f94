/**
 * Worker thread entry of the embedded shadow (see ./shadow-embedded.ts): opens PGlite when asked (request
 * 0, with the extensions), then answers the requests of ./shadow-thread.ts. Errors travel back as their parts (message, SQLSTATE,
 * position) so that the tracer sees the same ShadowError as in-process.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openEmbeddedShadowHere, prefetchEmbedded } from "../shadow/embedded.js";
import type { Shadow } from "../shadow/shadow.js";
import { runTraceJob } from "./job.js";
import { errorParts, flattenOutcome, type Reply, type Request } from "./worker-client.js";

const port = parentPort;
if (!port) throw new Error("shadow-worker runs as a worker thread");

const { env } = workerData as { env?: Record<string, string | undefined> };
// Read the cached data directory while the main thread reads the migrations.
void prefetchEmbedded(env).catch(() => {});
let shadow: Shadow | null = null;

async function answer(request: Request): Promise<unknown> {
  if (request.op === "open") {
    shadow = await openEmbeddedShadowHere({ extensions: request.extensions, ...(env ? { env } : {}) });
    return shadow.serverVersion;
  }
  if (!shadow) throw new Error("the embedded shadow is not open");
  if (request.op === "job") return flattenOutcome(await runTraceJob(shadow, request.job));
  return request.op === "exec" ? shadow.exec(request.sql) : shadow.rows(request.sql);
}

port.on("message", async (request: Request) => {
  let reply: Reply;
  try {
    reply = { id: request.id, result: await answer(request) };
  } catch (error) {
    reply = { id: request.id, error: errorParts(error) };
  }
  port.postMessage(reply);
});
