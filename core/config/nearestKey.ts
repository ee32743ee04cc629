/**
 * The nearest of some known names to a mistyped one, by edit distance, for "did you mean"
 * in the messages that refuse an unknown stack configuration key. Pure.
 */

/** The Levenshtein distance: fewest single-character insertions, deletions and changes. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const change = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(change, previous[j] + 1, current[j - 1] + 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate nearest to `given`, or undefined when none is near enough to be a typo of
 * it: at most a third of the candidate's length apart (at least 2). Ties go to the first.
 */
export function nearestKey(given: string, candidates: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const distance = editDistance(given, key);
    if (
      distance <= Math.max(2, Math.floor(key.length / 3)) &&
      (best === undefined || distance < best.distance)
    ) {
      best = { key, distance };
    }
  }
  return best?.key;
}
