// Judges an output folder with the corpus's score.py (the same judge for every tool).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Bucket {
  recovered: number;
  of: number;
}

export interface Score {
  outputs: number;
  target: Bucket;
  by_type: Record<string, Bucket>;
  contiguous: Bucket;
  fragmented: Bucket;
  names_recovered: number;
  partial_truncated: number;
  partial_overlong: number;
  partial_any: number;
  corrupt_only: number;
  live: Bucket;
  duplicates: number;
  junk_files: number;
  junk_bytes: number;
  embedded_files: number;
  filler_files: number;
}

export function score(corpus: string, outDir: string, truth: string, label: string, jsonOut: string,
  excludes: string[], cwd: string): { score: Score; summary: string } {
  const args = [join(corpus, 'score.py'), outDir, truth, '--label', label, '--json', jsonOut];
  for (const e of excludes) args.push('--exclude', e);
  // cwd: the fixture truths name their image relative to the repo root
  const r = spawnSync('python3', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`score.py failed (${r.status}): ${r.stderr}`);
  return { score: JSON.parse(readFileSync(jsonOut, 'utf8')) as Score, summary: r.stderr.trim() };
}
