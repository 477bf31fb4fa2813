// Reporters: turn the event stream into what a person or a script reads.
import type { FormatId, RecoveryEvent } from '../core/types.ts';

export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** NDJSON, one event per line, for scripts (`--json`). */
export function jsonReporter(out: Out): (e: RecoveryEvent) => void {
  return (e) => out.write(JSON.stringify(e) + '\n');
}

const mb = (n: number) => (n / 1e6).toFixed(n >= 1e9 ? 0 : 1);

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

function foundText(found: Partial<Record<FormatId, number>>): string {
  const parts = Object.entries(found).filter(([, n]) => (n ?? 0) > 0).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(' · ') : 'nothing yet';
}

/** One progress line: bar, bytes, MB/s, ETA, found per type. */
export function progressLine(e: Extract<RecoveryEvent, { type: 'scan.progress' }>, width: number): string {
  const frac = e.total > 0 ? Math.min(1, e.done / e.total) : 1;
  const eta = e.rate > 0 ? (e.total - e.done) / e.rate : NaN;
  const tail = ` ${(frac * 100).toFixed(0).padStart(3)}% ${mb(e.done)}/${mb(e.total)} MB ${mb(e.rate)} MB/s ETA ${formatDuration(eta)} | ${foundText(e.found)}`;
  const barW = Math.max(10, Math.min(40, width - tail.length - 3));
  const fill = Math.round(frac * barW);
  return `[${'#'.repeat(fill)}${'.'.repeat(barW - fill)}]${tail}`;
}

/** Human output on stderr: a live progress bar on a TTY, plain lines otherwise. */
export function humanReporter(err: Out): (e: RecoveryEvent) => void {
  let lastLine = '';
  const tty = !!err.isTTY;
  const clear = () => {
    if (tty && lastLine) err.write('\r\x1b[2K');
    lastLine = '';
  };
  return (e) => {
    switch (e.type) {
      case 'run.start':
        err.write(`Scanning ${e.source} (${mb(e.size)} MB)${e.resumed ? ', resuming the last run' : ''}${e.out ? ` into ${e.out}` : ''}\n`);
        break;
      case 'partitions':
        for (const p of e.partitions) err.write(`  partition ${p.index}: ${p.fs ?? 'unknown fs'}${p.label ? ` "${p.label}"` : ''} at ${p.offset}, ${mb(p.size)} MB\n`);
        break;
      case 'scan.progress':
        if (tty) {
          lastLine = progressLine(e, err.columns ?? 100);
          err.write(`\r\x1b[2K${lastLine}`);
        }
        break;
      case 'unreadable':
        clear();
        err.write(`  unreadable: ${e.range.length} bytes at ${e.range.offset} (${e.range.error}); zero-filled, going on\n`);
        break;
      case 'problem':
        if (e.problem.severity === 'error') {
          clear();
          err.write(`  ${e.problem.message}\n`);
        }
        break;
      case 'run.end': {
        clear();
        const what = e.status === 'cancelled' ? 'Stopped' : 'Done';
        err.write(`${what}: ${e.recovered} files recovered, ${e.partial} partial, ${mb(e.bytes)} MB${e.status === 'cancelled' ? ' — run the same command again to resume' : ''}\n`);
        break;
      }
      default:
        break;
    }
  };
}
