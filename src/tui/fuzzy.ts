// Fuzzy matching for the command palette: the query's letters must appear in order;
// matches at word starts and in runs score higher, as in VS Code's quick open.

export interface FuzzyMatch {
  score: number;
  /** Indices in the text of the matched characters (for highlighting). */
  positions: number[];
}

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1];
  const cur = text[i];
  return /[\s\-_/.:]/.test(prev) || (prev === prev.toLowerCase() && cur !== cur.toLowerCase());
}

export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return { score: 0, positions: [] };
  const t = text.toLowerCase();
  // Greedy from the left, preferring word starts: try to place each query char at the next
  // word start that has it, else at the next occurrence.
  const positions: number[] = [];
  let score = 0;
  let ti = 0;
  for (let qi = 0; qi < q.length; qi++) {
    const c = q[qi];
    let found = -1;
    let ws = -1;
    for (let j = ti; j < t.length; j++) {
      if (t[j] !== c) continue;
      if (found < 0) found = j;
      if (isWordStart(text, j)) {
        ws = j;
        break;
      }
    }
    if (found < 0) return null;
    // Consecutive beats a word start further on.
    const prev = positions[positions.length - 1];
    const pos = prev !== undefined && found === prev + 1 ? found : ws >= 0 ? ws : found;
    if (prev !== undefined && pos === prev + 1) score += 8;
    if (isWordStart(text, pos)) score += 10;
    if (pos === 0) score += 5;
    score -= Math.min(5, pos - (prev ?? -1) - 1);
    positions.push(pos);
    ti = pos + 1;
  }
  // Shorter texts win ties.
  score -= text.length / 100;
  return { score, positions };
}

/** Items that match, best first (stable for equal scores). */
export function fuzzyFilter<T>(query: string, items: readonly T[], text: (item: T) => string): { item: T; match: FuzzyMatch }[] {
  const out: { item: T; match: FuzzyMatch; i: number }[] = [];
  items.forEach((item, i) => {
    const m = fuzzyMatch(query, text(item));
    if (m) out.push({ item, match: m, i });
  });
  if (query.trim()) out.sort((a, b) => b.match.score - a.match.score || a.i - b.i);
  return out.map(({ item, match }) => ({ item, match }));
}
