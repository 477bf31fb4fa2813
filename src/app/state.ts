// OUT/.photorescue: the journal of written files and the scan checkpoint, so a killed run resumes
// where it stopped and writes nothing twice. OUT/report.json: one record per file.
import fs from 'node:fs';
import path from 'node:path';
import type { Problem, RecoveredFile, UnreadableRange } from '../core/types.ts';

export const STATE_DIR = '.photorescue';

export interface Checkpoint {
  version: 1;
  source: { path: string; size: number };
  /** Options that change what is found; a different set means a fresh scan. */
  key: string;
  /** Every header candidate below this offset has been collected in `candidates`. */
  scannedUpTo: number;
  candidates: number[];
}

export class RunState {
  readonly dir: string;
  private journalFd = -1;

  constructor(out: string) {
    this.dir = path.join(out, STATE_DIR);
  }

  open(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.journalFd = fs.openSync(path.join(this.dir, 'journal.ndjson'), 'a');
  }

  /** Files already written by earlier runs, whose bytes are still in place. */
  written(out: string): Map<string, RecoveredFile> {
    const map = new Map<string, RecoveredFile>();
    const p = path.join(this.dir, 'journal.ndjson');
    if (!fs.existsSync(p)) return map;
    for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as RecoveredFile;
        const st = fs.statSync(path.join(out, r.path), { throwIfNoEntry: false });
        if (st && st.size === r.size) map.set(r.id, r);
      } catch {
        // A torn last line from a killed run: ignore it; that file is written again.
      }
    }
    return map;
  }

  record(r: RecoveredFile): void {
    fs.writeSync(this.journalFd, JSON.stringify(r) + '\n');
  }

  loadCheckpoint(): Checkpoint | null {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, 'checkpoint.json'), 'utf8')) as Checkpoint;
    } catch {
      return null;
    }
  }

  saveCheckpoint(c: Checkpoint): void {
    const p = path.join(this.dir, 'checkpoint.json');
    fs.writeFileSync(p + '.tmp', JSON.stringify(c));
    fs.renameSync(p + '.tmp', p);
  }

  close(): void {
    if (this.journalFd >= 0) fs.closeSync(this.journalFd);
    this.journalFd = -1;
  }
}

export interface Report {
  version: 1;
  tool: string;
  source: { path: string; size: number };
  startedAt: string;
  finishedAt: string;
  status: 'done' | 'cancelled';
  unreadable: UnreadableRange[];
  problems: Problem[];
  files: RecoveredFile[];
}

export function writeReport(out: string, report: Report): void {
  const p = path.join(out, 'report.json');
  fs.writeFileSync(p + '.tmp', JSON.stringify(report, null, 1));
  fs.renameSync(p + '.tmp', p);
}
