// The header scan: chunks of the medium go to piscina workers; results come back in medium order
// so the carver can process candidates front to back (and skip headers inside files it found).
import os from 'node:os';
import { Piscina } from 'piscina';
import type { Extent, FormatId, UnreadableRange } from '../core/types.ts';
import type { ScanTask, ScanTaskResult } from './scan-worker.ts';

export const CHUNK = 32 * 1024 * 1024;

export interface HeaderScanOptions {
  path: string;
  /** Ranges of the medium to scan, sorted, non-overlapping. */
  ranges: Extent[];
  step: number;
  types: FormatId[];
  workers?: number;
  signal?: AbortSignal;
  waitIfPaused?: () => Promise<void>;
}

/** Split ranges into chunk tasks aligned to the chunk size. */
export function chunkTasks(o: HeaderScanOptions): ScanTask[] {
  const tasks: ScanTask[] = [];
  for (const r of o.ranges) {
    let from = r.offset;
    const end = r.offset + r.length;
    while (from < end) {
      const to = Math.min(end, (Math.floor(from / CHUNK) + 1) * CHUNK);
      tasks.push({ path: o.path, from, to, step: o.step, types: o.types });
      from = to;
    }
  }
  return tasks;
}

/**
 * Run the scan; yields each chunk's result in medium order. Keeps at most a few chunks in
 * flight per worker so memory stays flat whatever the size of the card.
 */
export async function* headerScan(o: HeaderScanOptions): AsyncGenerator<ScanTaskResult & { unreadable: UnreadableRange[] }> {
  const tasks = chunkTasks(o);
  if (tasks.length === 0) return;
  const threads = Math.max(1, Math.min(o.workers ?? os.availableParallelism(), tasks.length));
  const pool = new Piscina({
    filename: new URL('./scan-worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
  const inflight: Promise<ScanTaskResult>[] = [];
  const window = threads * 2;
  let next = 0;
  const launch = () => {
    while (next < tasks.length && inflight.length < window) {
      const p = pool.run(tasks[next++], { signal: o.signal });
      p.catch(() => undefined); // observed when awaited below
      inflight.push(p);
    }
  };
  try {
    launch();
    while (inflight.length > 0) {
      if (o.signal?.aborted) return;
      const r = await inflight.shift()!;
      yield r;
      if (o.waitIfPaused) await o.waitIfPaused();
      launch();
    }
  } finally {
    await pool.destroy();
  }
}
