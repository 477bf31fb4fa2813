import type { ByteReader, Extent } from './types.ts';

/** A window [start, start+size) of another reader, addressed from 0. */
export function sliceReader(base: ByteReader, start: number, size = base.size - start): ByteReader {
  const len = Math.max(0, Math.min(size, base.size - start));
  return {
    size: len,
    read(position, length) {
      if (position >= len || length <= 0) return Buffer.alloc(0);
      return base.read(start + position, Math.min(length, len - position));
    },
  };
}

/** A file laid out over extents of a medium, addressed from 0 (file order). */
export function extentReader(base: ByteReader, extents: readonly Extent[]): ByteReader {
  const starts: number[] = [];
  let total = 0;
  for (const e of extents) {
    starts.push(total);
    total += e.length;
  }
  return {
    size: total,
    read(position, length) {
      if (position >= total || length <= 0) return Buffer.alloc(0);
      const want = Math.min(length, total - position);
      const parts: Buffer[] = [];
      let pos = position;
      let left = want;
      // Binary search for the first extent holding `pos`.
      let lo = 0;
      let hi = extents.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= pos) lo = mid;
        else hi = mid - 1;
      }
      for (let i = lo; i < extents.length && left > 0; i++) {
        const inExt = pos - starts[i];
        const n = Math.min(left, extents[i].length - inExt);
        parts.push(base.read(extents[i].offset + inExt, n));
        pos += n;
        left -= n;
      }
      return parts.length === 1 ? parts[0] : Buffer.concat(parts);
    },
  };
}

/** Keep the extents covering the first `length` bytes of a file, merging adjacent ones. */
export function truncateExtents(extents: readonly Extent[], length: number): Extent[] {
  const out: Extent[] = [];
  let left = length;
  for (const e of extents) {
    if (left <= 0) break;
    const n = Math.min(left, e.length);
    const last = out[out.length - 1];
    if (last && last.offset + last.length === e.offset) last.length += n;
    else out.push({ offset: e.offset, length: n });
    left -= n;
  }
  return out;
}

/** A reader over an in-memory buffer (tests, small files). */
export function bufferReader(buf: Buffer): ByteReader {
  return {
    size: buf.length,
    read(position, length) {
      return buf.subarray(position, Math.min(buf.length, position + length));
    },
  };
}
