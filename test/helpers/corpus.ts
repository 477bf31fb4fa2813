// Where the corpus and its built cards are, and how to score an output folder against a truth.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = process.env.PHOTORESCUE_CORPUS ?? path.resolve(REPO, '../shared/corpus');
export const CORPUS_WORK = process.env.PHOTORESCUE_CORPUS_WORK ?? '/tmp/photorescue-corpus';
export const BIN = path.join(REPO, 'bin/photorescue.js');

export interface TruthFile {
  id: number;
  name: string;
  path: string;
  type: string;
  size: number;
  sha256: string;
  state: 'live' | 'deleted' | 'formatted';
  contiguous: boolean;
  fragments: number;
  ranges: [number, number][];
  overwritten: boolean;
  recoverable: boolean;
  dirent_lost?: boolean;
}
export interface Truth {
  image_sha256?: string;
  files: TruthFile[];
  fillers?: unknown[];
}

/** A public scenario card built by scripts/corpus-cards.sh (npm pretest). */
export function corpusCard(name: string): { image: string; truth: Truth; truthPath: string } {
  const dir = path.join(CORPUS_WORK, name);
  const truthPath = path.join(dir, 'truth.json');
  if (!fs.existsSync(truthPath)) throw new Error(`corpus card ${name} missing: run scripts/corpus-cards.sh (npm test does it)`);
  return { image: path.join(dir, 'card.img'), truth: JSON.parse(fs.readFileSync(truthPath, 'utf8')) as Truth, truthPath };
}

export function sha256File(p: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(p, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

export interface Score {
  target: { recovered: number; of: number };
  by_type: Record<string, { recovered: number; of: number }>;
  fragmented: { recovered: number; of: number };
  names_recovered: number;
  junk_files: number;
  embedded_files: number;
  duplicates: number;
  corrupt_only: number;
  partial_any: number;
  [k: string]: unknown;
}

/** The corpus's own scorer, leaving out photorescue's bookkeeping (report.json, .photorescue/). */
export function score(outDir: string, truthPath: string): Score {
  const r = spawnSync('python3', [path.join(CORPUS, 'score.py'), outDir, truthPath, '--exclude', 'report.json', '--exclude', '.photorescue/*'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`score.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Score;
}

/** Run the real binary; returns exit code and output. */
export function runCli(args: string[], opts: { timeout?: number; env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: opts.timeout ?? 600_000, env: { ...process.env, ...opts.env }, maxBuffer: 256 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every regular file under a folder, relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', `photorescue-${prefix}-`));
}

export function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' });
}
