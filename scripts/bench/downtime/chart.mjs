// One latency-over-time chart per scenario, plain SVG: both modes on one time axis (0 = the migration's
// start), the worst latency of the queries started in each 50 ms bin on a log scale, step boundaries marked.

const W = 900;
const H = 360;
const M = { left: 60, right: 20, top: 40, bottom: 60 };
const BIN_MS = 50;
const COLORS = { plain: "#d62728", safemigrate: "#1f77b4", "no-wait": "#7f7f7f" };
const LABELS = { "no-wait": "safemigrate, blockerWait 0" };

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The worst latency per bin of start time, relative to `origin`, as [x ms, latency ms] points. */
export function series(samples, origin) {
  const bins = new Map();
  for (const s of samples) {
    const bin = Math.floor((s.start - origin) / BIN_MS);
    bins.set(bin, Math.max(bins.get(bin) ?? 0, s.end - s.start));
  }
  return [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, ms]) => [bin * BIN_MS, Math.round(ms * 10) / 10]);
}

/**
 * `runs`: [{ mode, points, steps: [{ label, start, end }], waits: [{ start, end }], durationMs }], times in
 * ms from the migration's start.
 */
export function chartSvg({ title, subtitle, runs }) {
  const xs = runs.flatMap((r) => r.points.map((p) => p[0]));
  const x0 = Math.min(0, ...xs);
  const x1 = Math.max(1, ...xs, ...runs.map((r) => r.durationMs));
  const top = Math.max(10, ...runs.flatMap((r) => r.points.map((p) => p[1])));
  const yMin = 0.1;
  const yMax = 10 ** Math.ceil(Math.log10(top));
  const px = (x) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y) => {
    const v = Math.log10(Math.max(y, yMin));
    return (
      H - M.bottom - ((v - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - M.top - M.bottom)
    );
  };
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}: application latency, ${esc(subtitle)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="16" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left}" y="31" fill="#555">${esc(subtitle)}</text>`,
  ];
  for (let y = yMin; y <= yMax * 1.001; y *= 10) {
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${y >= 1 ? Math.round(y) : y.toFixed(1)} ms</text>`,
    );
  }
  const step = niceStep((x1 - x0) / 10);
  for (let x = Math.ceil(x0 / step) * step; x <= x1; x += step) {
    out.push(
      `<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#333"/>`,
      `<text x="${px(x).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${(x / 1000).toFixed(step < 1000 ? 1 : 0)} s</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 28}" text-anchor="middle">time since the migration started (worst app query latency per ${BIN_MS} ms, by start time)</text>`,
  );
  runs.forEach((run, i) => {
    const color = COLORS[run.mode] ?? "#333";
    // Time spent waiting for blockers outside the lock queue, shaded.
    for (const w of run.waits ?? []) {
      out.push(
        `<rect x="${px(w.start).toFixed(1)}" y="${M.top}" width="${Math.max(1, px(w.end) - px(w.start)).toFixed(1)}" height="${H - M.top - M.bottom}" fill="${color}" opacity="0.08"><title>waiting for blockers outside the lock queue</title></rect>`,
      );
    }
    // Step boundaries: a dashed line at each step's start, a solid one at the migration's end.
    for (const [j, s] of run.steps.entries()) {
      const x = px(s.start).toFixed(1);
      out.push(
        `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="${color}" stroke-dasharray="3,3" opacity="0.6"><title>${esc(s.label)}</title></line>`,
        `<text x="${(Number(x) + 2).toFixed(1)}" y="${M.top + 10 + 11 * i}" fill="${color}">${j + 1}</text>`,
      );
    }
    const end = px(run.durationMs).toFixed(1);
    out.push(
      `<line x1="${end}" x2="${end}" y1="${M.top}" y2="${H - M.bottom}" stroke="${color}" opacity="0.6"/>`,
    );
    const path = run.points.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.2" points="${path}"/>`);
    const lx = M.left + 230 * i;
    out.push(
      `<rect x="${lx}" y="${H - 16}" width="12" height="3" fill="${color}"/>`,
      `<text x="${lx + 16}" y="${H - 11}">${esc(LABELS[run.mode] ?? run.mode)} (${run.steps.length} step${run.steps.length === 1 ? "" : "s"})</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
