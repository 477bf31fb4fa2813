// The map of the medium: a fixed number of buckets, each holding the worst thing found there
// (unreadable > partial > intact > nothing). Views shrink it to however many cells fit.
import type { Extent } from '../../core/types.ts';

export const MAP_BUCKETS = 4096;
export const CELL_EMPTY = 0;
export const CELL_INTACT = 1;
export const CELL_PARTIAL = 2;
export const CELL_UNREADABLE = 3;

/** Mark the buckets covered by `extents` with `kind` unless something worse is already there. */
export function markExtents(map: Uint8Array, total: number, extents: readonly Extent[], kind: number): void {
  if (!(total > 0)) return;
  const n = map.length;
  for (const e of extents) {
    if (!(e.length > 0) || !(e.offset >= 0)) continue;
    const a = Math.min(n - 1, Math.floor((e.offset / total) * n));
    const b = Math.min(n - 1, Math.floor(((e.offset + e.length - 1) / total) * n));
    for (let i = a; i <= b; i++) if (map[i] < kind) map[i] = kind;
  }
}

/** Shrink the buckets to `cells` cells (worst wins). */
export function sampleMap(map: Uint8Array, cells: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, cells));
  const n = map.length;
  for (let c = 0; c < cells; c++) {
    const a = Math.floor((c * n) / cells);
    const b = Math.max(a + 1, Math.floor(((c + 1) * n) / cells));
    let v = 0;
    for (let i = a; i < b && i < n; i++) if (map[i] > v) v = map[i];
    out[c] = v;
  }
  return out;
}
