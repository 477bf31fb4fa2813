// Reading ISO-BMFF box headers, from a reader (top level) or from an in-memory container.
// Every size comes from the medium, so each one is checked against its container before use.
import type { ByteReader } from '../../core/types.ts';
import { readU64BE } from '../../core/bounds.ts';

/** A box inside a buffer: absolute positions are relative to the buffer. */
export interface Box {
  type: string;
  /** Where the header starts. */
  start: number;
  /** Where the payload starts (after size/type/largesize). */
  payload: number;
  /** One past the last byte. */
  end: number;
}

/** Most children any container may have before we stop believing it. */
export const MAX_CHILDREN = 100_000;

export function fourcc(buf: Buffer, at: number): string {
  return buf.toString('latin1', at, at + 4);
}

/** A box type a writer would use: four printable ASCII characters (QuickTime allows '©'). */
export function isPlausibleType(buf: Buffer, at: number): boolean {
  for (let i = 0; i < 4; i++) {
    const c = buf[at + i];
    if (!((c >= 0x20 && c <= 0x7e) || c === 0xa9)) return false;
  }
  return true;
}

/**
 * The children of a container held in `buf` between `from` and `to`.
 * Stops quietly at the first header that does not fit: the caller judges what is missing.
 * size 0 (to the end) is taken to mean the end of the container.
 */
export function children(buf: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  const limit = Math.min(to, buf.length);
  let p = from;
  while (p + 8 <= limit && out.length < MAX_CHILDREN) {
    const size32 = buf.readUInt32BE(p);
    let header = 8;
    let size: number;
    if (size32 === 1) {
      if (p + 16 > limit) break;
      size = readU64BE(buf, p + 8);
      header = 16;
    } else if (size32 === 0) {
      size = limit - p;
    } else {
      size = size32;
    }
    if (size < header || p + size > limit) break;
    out.push({ type: fourcc(buf, p + 4), start: p, payload: p + header, end: p + size });
    p += size;
  }
  return out;
}

/** The first child of the given type, or undefined. */
export function child(buf: Buffer, parent: Box | { payload: number; end: number }, type: string, skip = 0): Box | undefined {
  return children(buf, parent.payload + skip, parent.end).find((b) => b.type === type);
}

/** A top-level box header read from a reader. `size` is -1 for "to the end" (size field 0). */
export interface TopHeader {
  type: string;
  start: number;
  headerSize: number;
  /** Declared total size; -1 when the size field is 0 (runs to the end of the file). */
  size: number;
  /** The raw header bytes, for plausibility checks. */
  raw: Buffer;
}

/**
 * Read the header of the box at `pos`. Returns null when fewer than 8 bytes remain, or when a
 * 64-bit size is cut off or above what a safe integer holds (fail closed).
 */
export function readTopHeader(file: ByteReader, pos: number): TopHeader | null {
  const raw = file.read(pos, 16);
  if (raw.length < 8) return null;
  const size32 = raw.readUInt32BE(0);
  const type = fourcc(raw, 4);
  if (size32 === 1) {
    if (raw.length < 16) return null;
    const size = readU64BE(raw, 8);
    if (size < 0) return null;
    return { type, start: pos, headerSize: 16, size, raw };
  }
  if (size32 === 0) return { type, start: pos, headerSize: 8, size: -1, raw };
  return { type, start: pos, headerSize: 8, size: size32, raw };
}

/** Read an unsigned big-endian integer of 0, 4 or 8 bytes (iloc field sizes); -1 when unsafe. */
export function readUIntN(buf: Buffer, at: number, bytes: number): number {
  if (bytes === 0) return 0;
  if (bytes === 4) return buf.readUInt32BE(at);
  if (bytes === 8) return readU64BE(buf, at);
  if (bytes === 2) return buf.readUInt16BE(at);
  if (bytes === 1) return buf[at];
  return -1;
}
