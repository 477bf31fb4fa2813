// The file allocation table, read lazily: entry lookups, chains with loop and bounds checks.
import type { ByteReader } from '../core/types.ts';
import { RegionCache } from './blockcache.ts';

export interface ClusterMap {
  clusterCount: number;
  /** The raw FAT value of a cluster (masked to 28 bits on FAT32). */
  next(cluster: number): number;
  isEnd(value: number): boolean;
  isFree(cluster: number): boolean;
}

export function fatTable(
  medium: ByteReader,
  offset: number,
  length: number,
  kind: 'fat12' | 'fat16' | 'fat32',
  clusterCount: number,
): ClusterMap {
  const cache = new RegionCache(medium, offset, length);
  const eoc = kind === 'fat12' ? 0xff8 : kind === 'fat16' ? 0xfff8 : 0x0ffffff8;
  const next =
    kind === 'fat12'
      ? (c: number) => {
          const v = cache.u16(c + (c >> 1));
          return c & 1 ? v >> 4 : v & 0xfff;
        }
      : kind === 'fat16'
        ? (c: number) => cache.u16(c * 2)
        : (c: number) => cache.u32(c * 4) & 0x0fffffff;
  return {
    clusterCount,
    next,
    isEnd: (v) => v >= eoc,
    isFree: (c) => Number.isInteger(c) && c >= 2 && c <= clusterCount + 1 && next(c) === 0,
  };
}

/** Remembers visited clusters: a Set while small, a bitmap once a chain grows long. */
export class ClusterSet {
  private readonly small = new Set<number>();
  private bits: Uint8Array | null = null;
  private readonly limit: number;
  constructor(clusterLimit: number) {
    this.limit = clusterLimit;
  }
  has(c: number): boolean {
    return this.bits ? (this.bits[c >> 3] & (1 << (c & 7))) !== 0 : this.small.has(c);
  }
  /** Adds `c`; false when it was already there. */
  add(c: number): boolean {
    if (this.bits) {
      const m = 1 << (c & 7);
      if (this.bits[c >> 3] & m) return false;
      this.bits[c >> 3] |= m;
      return true;
    }
    if (this.small.has(c)) return false;
    this.small.add(c);
    if (this.small.size > 4096 && this.limit <= 1 << 27) {
      this.bits = new Uint8Array((this.limit >> 3) + 1);
      for (const x of this.small) this.bits[x >> 3] |= 1 << (x & 7);
      this.small.clear();
    }
    return true;
  }
}

/**
 * Follow the chain from `first` for at most `max` clusters. `strict`: null on a broken chain
 * (free, bad, reserved or out-of-range link, or a loop); otherwise the part read before the break.
 * A chain longer than `max` is cut at `max` (not an error).
 */
export function followChain(map: ClusterMap, first: number, max: number, strict: boolean): number[] | null {
  const last = map.clusterCount + 1;
  if (!Number.isInteger(first) || first < 2 || first > last || max < 1) return strict ? null : [];
  const out: number[] = [];
  const seen = new ClusterSet(last + 1);
  let c = first;
  const cap = Math.min(Math.floor(max), map.clusterCount);
  while (true) {
    if (!seen.add(c)) return strict ? null : out;
    out.push(c);
    const v = map.next(c);
    if (map.isEnd(v)) break;
    // Free (0), reserved (1), bad or beyond the volume: the chain is broken here.
    if (v < 2 || v > last) return strict ? null : out;
    if (out.length >= cap) break;
    c = v;
  }
  return out;
}
