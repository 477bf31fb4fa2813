// What the fragment assemblers know about the medium around a file: its allocation unit (the
// cluster of the volume it lies in, or the 512-byte sector), which units may still hold a piece
// of it (free in the volume's map and owned by no file found whole), and a cached, budgeted
// reader so a search over a large card stays bounded.
import type { ByteReader, Extent } from '../core/types.ts';
import type { Volume } from '../fs/types.ts';
import type { Claims } from './carve.ts';

const BLOCK = 1 << 20;
const CACHE_BLOCKS = 32;

export class BudgetExceeded extends Error {}

/** Reads of the medium through a small LRU of 1 MiB blocks; throws BudgetExceeded past `budget` bytes. */
export class CachedMedium {
  readonly medium: ByteReader;
  /** Results worth keeping for the rest of one reassembly (a neighbour's tables). */
  readonly memo = new Map<string, unknown>();
  private readonly cache = new Map<number, Buffer>();
  private readonly seen = new Set<number>();
  private left: number;

  private readonly budget: number;

  constructor(medium: ByteReader, budget: number) {
    this.medium = medium;
    this.left = budget;
    this.budget = budget;
  }

  /** Count other work (decoding) against the budget, as `bytes` bytes read. */
  charge(bytes: number): void {
    if (this.left < bytes) {
      this.left = 0;
      throw new BudgetExceeded('work budget spent');
    }
    this.left -= bytes;
  }

  /** Bytes of the budget used so far. */
  get spent(): number {
    return this.budget - this.left;
  }

  private block(n: number): Buffer {
    let b = this.cache.get(n);
    if (b) {
      this.cache.delete(n);
      this.cache.set(n, b);
      return b;
    }
    // New ground counts against the budget; blocks read before (and evicted) count an eighth
    // (the system's cache usually still holds them).
    const cost = this.seen.has(n) ? BLOCK / 8 : BLOCK;
    if (this.left < cost) throw new BudgetExceeded('read budget spent');
    b = this.medium.read(n * BLOCK, BLOCK);
    this.left -= cost;
    this.seen.add(n);
    if (this.cache.size >= CACHE_BLOCKS) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(n, b);
    return b;
  }

  /** Up to `len` bytes at `pos` (fewer only at the end of the medium). */
  read(pos: number, len: number): Buffer {
    if (pos < 0 || len <= 0 || pos >= this.medium.size) return Buffer.alloc(0);
    const first = Math.floor(pos / BLOCK);
    const last = Math.floor((Math.min(pos + len, this.medium.size) - 1) / BLOCK);
    if (first === last) {
      const b = this.block(first);
      return b.subarray(pos - first * BLOCK, pos - first * BLOCK + len);
    }
    if (len > 64 * BLOCK) {
      // Large reads (a moov) go straight to the medium, counted against the budget.
      if (this.left <= 0) throw new BudgetExceeded('read budget spent');
      this.left -= len;
      return this.medium.read(pos, len);
    }
    const parts: Buffer[] = [];
    for (let n = first; n <= last; n++) parts.push(this.block(n));
    const all = Buffer.concat(parts);
    return all.subarray(pos - first * BLOCK, pos - first * BLOCK + len);
  }
}

export interface Geometry {
  /** Allocation unit in bytes (cluster, or 512). */
  unit: number;
  /** A medium offset on a unit boundary (cluster 2 of the volume, or 0). */
  base: number;
  /** Medium range [lo, hi) units may lie in (the volume's data area, or the medium). */
  lo: number;
  hi: number;
  /** May the unit starting at medium offset `off` hold a piece of the file? */
  allowed(off: number): boolean;
}

/**
 * The geometry around `start` (the file's first byte on the medium). `self` is the file's own
 * first extent: a claim that begins there is the file's own (carving claims partial files too).
 */
export function geometryAt(medium: ByteReader, volumes: readonly Volume[], claims: Claims, start: number): Geometry {
  const v = volumes.find((x) => start >= x.dataOffset && start < x.dataOffset + x.clusterCount * x.clusterSize && (start - x.dataOffset) % x.clusterSize === 0);
  const self = claims.find(start);
  const foreign = (off: number, len: number): boolean => {
    for (const p of [off, off + len - 1]) {
      const c = claims.find(p);
      if (c && !(self && c.offset === self.offset && c.length === self.length)) return true;
    }
    return false;
  };
  if (v) {
    const cs = v.clusterSize;
    return {
      unit: cs,
      base: v.dataOffset,
      lo: v.dataOffset,
      hi: Math.min(medium.size, v.dataOffset + v.clusterCount * cs),
      allowed: (off) => v.isFree(2 + (off - v.dataOffset) / cs) && !foreign(off, cs),
    };
  }
  return { unit: 512, base: 0, lo: 0, hi: medium.size, allowed: (off) => !foreign(off, 512) };
}

/** Trailing zero bytes of the unit at `off` (a file's slack after its end is usually zeros). */
export function trailingZeros(m: CachedMedium, off: number, unit: number): number {
  const b = m.read(off, unit);
  let n = 0;
  for (let i = b.length - 1; i >= 0 && b[i] === 0; i--) n++;
  return n;
}

/** A run of a file: file bytes [file, file+length) lie at medium [medium, medium+length). */
export interface Run {
  file: number;
  medium: number;
  length: number;
}

export function runsToExtents(runs: readonly Run[]): Extent[] {
  const out: Extent[] = [];
  for (const r of runs) {
    if (r.length <= 0) continue;
    const last = out[out.length - 1];
    if (last && last.offset + last.length === r.medium) last.length += r.length;
    else out.push({ offset: r.medium, length: r.length });
  }
  return out;
}
