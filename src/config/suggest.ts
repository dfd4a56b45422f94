/** "Did you mean" candidates for a mistyped name (rule ids, config keys). */

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Up to `limit` candidates close to `name` (small edit distance, or containing it), closest first. */
export function closeMatches(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const d = distance(wanted, lower);
    const threshold = Math.max(2, Math.floor(wanted.length / 3));
    if (d <= threshold) scored.push({ candidate, score: d });
    else if (wanted.length >= 3 && lower.includes(wanted)) scored.push({ candidate, score: threshold + 1 });
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/** ` (did you mean a, b?)` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const matches = closeMatches(name, candidates);
  return matches.length > 0 ? ` (did you mean ${matches.join(", ")}?)` : "";
}
