// The application: `clients` separate connections, each issuing point reads, inserts and updates on both
// tables at a steady rate, timing every query (wall clock, epoch milliseconds).
import postgres from "postgres";
import { accountCount } from "./scenarios.mjs";

export const now = () => performance.timeOrigin + performance.now();

const OPS = [
  (sql, r) => sql`SELECT "id", "name", "balance" FROM "accounts" WHERE "id" = ${r.account()}`,
  (sql, r) =>
    sql`SELECT "id", "account_id", "amount", ${sql(r.column)} FROM "orders" WHERE "id" = ${r.order()}`,
  (sql, r) =>
    sql`INSERT INTO "orders" ("account_id", "amount", ${sql(r.column)}) VALUES (${r.account()}, 1, 'new')`,
  (sql, r) => sql`UPDATE "orders" SET "amount" = "amount" + 1 WHERE "id" = ${r.order()}`,
  (sql, r) => sql`UPDATE "accounts" SET "balance" = "balance" + 1 WHERE "id" = ${r.account()}`,
];
export const OP_NAMES = ["read account", "read order", "insert order", "update order", "update account"];

/** Starts the workload on `url`; `stop()` ends it and resolves to the samples. */
export async function startWorkload(url, { clients, rate, rows }) {
  const accounts = accountCount(rows);
  const interval = 1000 / rate;
  const samples = [];
  let running = true;
  const connections = Array.from({ length: clients }, () =>
    postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: "bench-app" } }),
  );
  // Connect and prepare every statement before timing starts.
  const random = (n) => 1 + Math.floor(Math.random() * n);
  // `column`: the orders column the application version reads and writes (a rename moves it to the new one).
  const r = { account: () => random(accounts), order: () => random(rows), column: "status" };
  await Promise.all(connections.map((sql) => Promise.all(OPS.map((op) => op(sql, r)))));
  const loops = connections.map(async (sql, client) => {
    let next = now();
    for (let i = client; running; i++) {
      const op = i % OPS.length;
      const start = now();
      let ok = true;
      try {
        await OPS[op](sql, r);
      } catch {
        ok = false;
      }
      const end = now();
      samples.push({ start, end, ok, op });
      // Steady rate: the next query is due one interval after this one was due, or at once when late.
      next += interval;
      const wait = next - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      else next = now();
    }
  });
  return {
    /** The deploy of a version that uses `name` instead. */
    useColumn(name) {
      r.column = name;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(connections.map((sql) => sql.end({ timeout: 5 })));
      return samples;
    },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x) => (x === null ? null : Math.round(x * 10) / 10);

/** Latency figures of the queries that overlap [from, to], and the longest window without a completion. */
export function summarise(samples, from, to) {
  const during = samples.filter((s) => s.start < to && s.end > from);
  const latencies = during.map((s) => s.end - s.start).sort((a, b) => a - b);
  const ends = samples
    .map((s) => s.end)
    .filter((t) => t >= from && t <= to)
    .sort((a, b) => a - b);
  let gap = 0;
  let last = from;
  for (const t of [...ends, to]) {
    gap = Math.max(gap, t - last);
    last = t;
  }
  return {
    queries: during.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? null),
    failed: during.filter((s) => !s.ok).length,
    longestGapMs: round(gap),
  };
}
