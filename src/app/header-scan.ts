// The header scan: chunks of the medium go to piscina workers; results come back in medium order
// so the carver can process candidates front to back (and skip headers inside files it found).
import os from 'node:os';
import { Piscina } from 'piscina';
import type { Extent, FormatId } from '../core/types.ts';
import type { ScanTask, ScanTaskResult } from './scan-worker.ts';

export const CHUNK = 32 * 1024 * 1024;

// From the sources the worker is scan-worker.ts; from the dist/ bundle it is scan-worker.js.
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './scan-worker.ts' : './scan-worker.js', import.meta.url).href;

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
 * Start the scan at once (workers begin reading while the caller does other work, such as the
 * filesystem stage) and hand back its results in medium order. At most 256 chunks are in
 * flight, so memory stays flat whatever the size of the card.
 */
export function startHeaderScan(o: HeaderScanOptions): AsyncIterable<ScanTaskResult> & { close(): Promise<void> } {
  const tasks = chunkTasks(o);
  const threads = Math.max(1, Math.min(o.workers ?? os.availableParallelism(), tasks.length));
  const pool = tasks.length === 0 ? null : new Piscina({ filename: WORKER, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  const inflight: Promise<ScanTaskResult>[] = [];
  // Results are small (a few offsets per chunk), so the workers may run far ahead of the
  // caller, who is busy with the filesystem stage at first: 256 chunks = 8 GiB of medium.
  const window = 256;
  let next = 0;
  const launch = () => {
    while (pool && next < tasks.length && inflight.length < window) {
      const p = pool.run(tasks[next++], { signal: o.signal });
      p.catch(() => undefined); // observed when awaited below
      inflight.push(p);
    }
  };
  launch();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool?.destroy();
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        while (inflight.length > 0) {
          if (o.signal?.aborted) return;
          const r = await inflight.shift()!;
          yield r;
          if (o.waitIfPaused) await o.waitIfPaused();
          launch();
        }
      } finally {
        await close();
      }
    },
  };
}
