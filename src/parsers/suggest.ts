/** Levenshtein distance between two strings (case-sensitive). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate nearest to a misspelt word, or undefined when none is close:
 * at most a third of the word may change, ignoring case (so `systemdcgroup`
 * finds `SystemdCgroup` and `swp` finds `Swap`), or at most `maxEdits`.
 * Case-sensitive distance breaks ties.
 */
export function suggest(word: string, candidates: Iterable<string>, maxEdits = Math.max(1, Math.floor(word.length / 3))): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const limit = maxEdits;
  for (const c of candidates) {
    const loose = editDistance(word.toLowerCase(), c.toLowerCase());
    if (loose > limit) continue;
    const score = loose + editDistance(word, c) / 100;
    if (score > 0 && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
