// Human-readable numbers for the screen.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatRate(bytesPerSec: number): string {
  return `${(bytesPerSec / 1e6).toFixed(1)} MB/s`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds left at the current rate, or NaN when unknown. */
export function eta(done: number, total: number, rate: number): number {
  if (!(total > 0) || !(rate > 0) || done >= total) return done >= total && total > 0 ? 0 : NaN;
  return (total - done) / rate;
}

const SPARK = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width: number): string {
  const vs = values.slice(-width);
  const max = Math.max(1, ...vs);
  return vs.map((v) => SPARK[Math.min(7, Math.max(0, Math.round((v / max) * 7)))]).join('');
}

export function todayStamp(d = new Date()): string {
  return d.toISOString().slice(0, 10);
}
