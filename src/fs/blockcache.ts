// A small read cache over a region of the medium (a FAT, an allocation bitmap), read lazily in
// blocks so a 16 MB FAT is never loaded whole and no per-cluster array is built.
import type { ByteReader } from '../core/types.ts';

const BLOCK = 64 * 1024;
const MAX_BLOCKS = 64; // 4 MiB at most held per region

export class RegionCache {
  private readonly medium: ByteReader;
  private readonly start: number;
  readonly length: number;
  private readonly blocks = new Map<number, Buffer>();

  constructor(medium: ByteReader, start: number, length: number) {
    this.medium = medium;
    this.start = start;
    this.length = Math.max(0, length);
  }

  private block(index: number): Buffer {
    const hit = this.blocks.get(index);
    if (hit) {
      // Re-insert so Map order approximates least-recently-used.
      this.blocks.delete(index);
      this.blocks.set(index, hit);
      return hit;
    }
    const pos = index * BLOCK;
    const want = Math.min(BLOCK, this.length - pos);
    const got = want > 0 ? this.medium.read(this.start + pos, want) : Buffer.alloc(0);
    // Short reads (a truncated image) read as zeros, like an unreadable sector.
    const buf = got.length === want ? got : Buffer.concat([got, Buffer.alloc(want - got.length)]);
    if (this.blocks.size >= MAX_BLOCKS) {
      const oldest = this.blocks.keys().next().value;
      if (oldest !== undefined) this.blocks.delete(oldest);
    }
    this.blocks.set(index, buf);
    return buf;
  }

  /** Byte at `pos` in the region; 0 outside it. */
  u8(pos: number): number {
    if (pos < 0 || pos >= this.length) return 0;
    return this.block(Math.floor(pos / BLOCK))[pos % BLOCK] ?? 0;
  }

  u16(pos: number): number {
    if (pos % BLOCK <= BLOCK - 2 && pos + 2 <= this.length && pos >= 0) {
      return this.block(Math.floor(pos / BLOCK)).readUInt16LE(pos % BLOCK);
    }
    return this.u8(pos) | (this.u8(pos + 1) << 8);
  }

  u32(pos: number): number {
    if (pos % BLOCK <= BLOCK - 4 && pos + 4 <= this.length && pos >= 0) {
      return this.block(Math.floor(pos / BLOCK)).readUInt32LE(pos % BLOCK);
    }
    return (this.u16(pos) + this.u16(pos + 2) * 0x10000) >>> 0;
  }
}

/** Read exactly `length` bytes (zero-padded past the end of the medium). */
export function readFull(medium: ByteReader, position: number, length: number): Buffer {
  if (length <= 0 || position < 0 || !Number.isSafeInteger(position)) return Buffer.alloc(Math.max(0, length));
  const got = medium.read(position, length);
  return got.length === length ? got : Buffer.concat([got, Buffer.alloc(length - got.length)]);
}

/** UTF-16LE code units to a well-formed JS string (lone surrogates become U+FFFD). */
export function utf16(buf: Buffer, start: number, units: number): string {
  let s = '';
  for (let i = 0; i < units && start + i * 2 + 1 < buf.length; i++) s += String.fromCharCode(buf.readUInt16LE(start + i * 2));
  return s.toWellFormed();
}
