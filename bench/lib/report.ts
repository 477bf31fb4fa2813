// Markdown for bench/results/latest.md: the machine, a summary, then one table per card.
import type { Card } from './cards.ts';
import type { Machine } from './machine.ts';
import { median } from './measure.ts';
import type { Score } from './score.ts';

export interface ToolResult {
  tool: string;
  walls: number[];
  rss: number[];
  exitCodes: number[];
  timedOut: boolean;
  /** exact counts differed between runs */
  varies?: boolean;
  score?: Score;
  error?: string;
}

export interface CardResult {
  card: Card;
  fs: string;
  catWalls: number[];
  tools: ToolResult[];
}

const TYPES = ['jpeg', 'heic', 'mp4', 'mov', '3gp'];

const frac = (b: { recovered: number; of: number } | undefined) => (b && b.of ? `${b.recovered}/${b.of}` : '-');
const mbps = (bytes: number, s: number) => (s > 0 ? (bytes / 1e6 / s).toFixed(0) : '-');

function status(t: ToolResult): string {
  if (t.timedOut) return 'timed out';
  const bad = t.exitCodes.filter((c) => c !== 0);
  const v = t.varies ? ', scores varied between runs (last shown)' : '';
  return (bad.length ? `exit ${[...new Set(bad)].join(',')}` : 'ok') + v;
}

export function markdown(m: Machine, runs: number, results: CardResult[]): string {
  const L: string[] = [];
  L.push('# photorescue benchmark', '');
  L.push(`- date: ${m.date}`, `- commit: ${m.commit}`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM; Node ${m.node}`,
    `- tools: ${Object.entries(m.tools).map(([k, v]) => `${k} ${v.replace(/^PhotoRec |^The Sleuth Kit ver /, '')}`).join('; ')}`,
    `- runs: median of ${runs}; each run after \`sync\` and a warm read of the image (page cache warm for every tool)`,
    '- exact = sha256 equals a deleted/formatted file still intact on the card (target); judged by ../shared/corpus/score.py',
    '- MB/s = image bytes / 1e6 / median wall seconds; "% of cat" = that rate relative to `cat image >/dev/null`', '');

  L.push('## Summary (exact/target, MB/s)', '');
  const tools = [...new Set(results.flatMap((r) => r.tools.map((t) => t.tool)))];
  L.push(`| card | size MiB | cat MB/s | ${tools.join(' | ')} |`, `|---|---|---|${tools.map(() => '---|').join('')}`);
  for (const r of results) {
    const cat = median(r.catWalls);
    const cells = tools.map((name) => {
      const t = r.tools.find((x) => x.tool === name);
      if (!t) return '';
      const s = t.score ? frac(t.score.target) : 'n/a';
      return `${s} (${mbps(r.card.imageBytes, median(t.walls))} MB/s${status(t) === 'ok' ? '' : `, ${status(t)}`})`;
    });
    L.push(`| ${r.card.name} | ${(r.card.imageBytes / 2 ** 20).toFixed(0)} | ${mbps(r.card.imageBytes, cat)} | ${cells.join(' | ')} |`);
  }
  L.push('');

  for (const r of results) {
    const cat = median(r.catWalls);
    L.push(`## ${r.card.name}`, '',
      `${(r.card.imageBytes / 2 ** 20).toFixed(0)} MiB ${r.fs}, filesystem at byte ${r.card.partitionOffset}.`, '');
    L.push(`| tool | exact/target | ${TYPES.join(' | ')} | fragmented | names | partial (trunc/long) | corrupt | live | junk (files, MiB) | embedded | dup | wall s | MB/s | % of cat | peak RSS MiB | status |`);
    L.push(`|---${'|---'.repeat(14 + TYPES.length)}|`);
    for (const t of r.tools) {
      const w = median(t.walls);
      const s = t.score;
      const head = s
        ? [frac(s.target), ...TYPES.map((k) => frac(s.by_type[k])), frac(s.fragmented), String(s.names_recovered),
          `${s.partial_any} (${s.partial_truncated}/${s.partial_overlong})`, String(s.corrupt_only), frac(s.live),
          `${s.junk_files}, ${(s.junk_bytes / 2 ** 20).toFixed(1)}`, String(s.embedded_files), String(s.duplicates)]
        : ['n/a', ...TYPES.map(() => ''), '', '', '', '', '', '', '', ''];
      L.push(`| ${t.tool} | ${head.join(' | ')} | ${w.toFixed(2)} | ${mbps(r.card.imageBytes, w)} | ` +
        `${cat > 0 && w > 0 ? ((100 * cat) / w).toFixed(0) + '%' : '-'} | ${median(t.rss).toFixed(0)} | ${status(t)}${t.error ? `: ${t.error}` : ''} |`);
    }
    L.push(`| cat (read limit) | ${Array(9 + TYPES.length).fill('').join(' | ')} | ${cat.toFixed(2)} | ${mbps(r.card.imageBytes, cat)} | 100% | | |`, '');
  }
  return L.join('\n');
}
