/**
 * Worker thread entry of the embedded shadow (see ./shadow-embedded.ts): opens PGlite, then answers one
 * request at a time from ./shadow-thread.ts. Errors travel back as their parts (message, SQLSTATE,
 * position) so that the tracer sees the same ShadowError as in-process.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ShadowError } from "./shadow.js";
import { type EmbeddedOptions, openEmbeddedShadowHere } from "./shadow-embedded.js";
import type { Reply, Request } from "./shadow-thread.js";

const port = parentPort;
if (!port) throw new Error("shadow-worker runs as a worker thread");

function failure(error: unknown) {
  const { message, code, position } = ShadowError.from(error);
  return { message, code, position };
}

try {
  const shadow = await openEmbeddedShadowHere(workerData as EmbeddedOptions);
  port.on("message", async (request: Request) => {
    let reply: Reply;
    try {
      if (request.op === "close") {
        await shadow.close();
        reply = { id: request.id, result: null };
      } else {
        const result =
          request.op === "exec" ? await shadow.exec(request.sql) : await shadow.rows(request.sql);
        reply = { id: request.id, result };
      }
    } catch (error) {
      reply = { id: request.id, error: failure(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ id: 0, result: shadow.serverVersion } satisfies Reply);
} catch (error) {
  port.postMessage({ id: 0, error: failure(error) } satisfies Reply);
}
