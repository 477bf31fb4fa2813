// What a JPEG file may carry after its first EOI, and how far the file then really goes:
//  - MPF (CIPA DC-007) secondary images, listed in the APP2 "MPF\0" index;
//  - Google motion photos: an XMP "Container:Directory" (or the older GCamera:MicroVideoOffset)
//    says how many bytes of further items (gain map JPEG, MP4 video) follow the primary image.
// Each trailing item is checked where the index puts it (a JPEG must measure complete, an
// MP4 must be a run of boxes filling exactly its length). Items that are not there are left
// out (the primary image is whole), with a note; a reader that ends inside them makes the
// file partial.
import type { ByteReader } from '../../../core/types.ts';
import { sliceReader } from '../../../core/readers.ts';
import { parseMpIndex } from './mpf.ts';

/** Measures a JPEG inside `r` (no MPF following): complete length, or null. */
export type JpegCheck = (r: ByteReader, maxSize: number) => number | null;

export interface TrailerInput {
  src: ByteReader;
  /** Bytes at or past this position are not read (reader size or maxSize). */
  limit: number;
  maxSize: number;
  /** Just after the first EOI. */
  firstEnd: number;
  /** Absolute position of the MPF TIFF header and the payload from there, if any. */
  mpfTiff: number;
  mpfPayload: Buffer | null;
  /** XMP packet text (APP1 "http://ns.adobe.com/xap/1.0/"), if any. */
  xmp: string | null;
  checkJpeg: JpegCheck;
}

export interface TrailerResult {
  /** End of the file: first EOI, or the end of the last trailing item found. */
  end: number;
  /** Set when the reader ends inside an item the file declares: the whole file's length. */
  truncatedAt?: number;
  expectedLength?: number;
  /** Items found, absolute. */
  images: { offset: number; length: number }[];
  video?: { offset: number; length: number };
  /** Declared items that are not where the index says. */
  notes: string[];
}

const MAX_BOXES = 100_000;

/** True when [at, at+len) is a run of ISO-BMFF boxes starting with ftyp and ending exactly at at+len. */
export function isIsoBmffSpan(src: ByteReader, at: number, len: number): boolean {
  let pos = at;
  const end = at + len;
  for (let n = 0; pos < end; n++) {
    if (n > MAX_BOXES || pos + 8 > end) return false;
    const h = src.read(pos, 16);
    if (h.length < 8) return false;
    let size = h.readUInt32BE(0);
    const type = h.subarray(4, 8).toString('latin1');
    if (!/^[a-zA-Z0-9 ©_-]{4}$/.test(type)) return false;
    if (n === 0 && type !== 'ftyp') return false;
    if (size === 1) {
      if (h.length < 16) return false;
      const big = h.readBigUInt64BE(8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      size = Number(big);
      if (size < 16) return false;
    } else if (size === 0) {
      size = end - pos;
    } else if (size < 8) {
      return false;
    }
    pos += size;
  }
  return pos === end;
}

interface ContainerItem {
  mime: string;
  length: number;
  padding: number;
}

/** Items of a Google "Container:Directory" in XMP, in file order; null if there is none. */
export function parseContainerDirectory(xmp: string): ContainerItem[] | null {
  const dir = xmp.indexOf('Container:Directory');
  if (dir < 0) return null;
  const items: ContainerItem[] = [];
  const tag = /<Container:Item\b([^>]*)>/g;
  tag.lastIndex = dir;
  for (let m = tag.exec(xmp); m && items.length < 64; m = tag.exec(xmp)) {
    const attr = (name: string): string | undefined => new RegExp(`Item:${name}\\s*=\\s*"([^"]*)"`).exec(m![1])?.[1];
    const num = (v: string | undefined): number => (v !== undefined && /^\d{1,12}$/.test(v.trim()) ? Number(v.trim()) : 0);
    items.push({ mime: attr('Mime') ?? '', length: num(attr('Length')), padding: num(attr('Padding')) });
  }
  return items.length > 0 ? items : null;
}

/** GCamera:MicroVideoOffset (motion photo v1): bytes of video at the end of the file. */
export function parseMicroVideoOffset(xmp: string): number | null {
  const m = /MicroVideoOffset\s*=\s*"(\d{1,12})"/.exec(xmp) ?? /<GCamera:MicroVideoOffset>(\d{1,12})</.exec(xmp);
  return m ? Number(m[1]) : null;
}

export function trailers(input: TrailerInput): TrailerResult {
  const { src, limit, maxSize, firstEnd } = input;
  const out: TrailerResult = { end: firstEnd, images: [], notes: [] };
  let declaredEnd = firstEnd;
  let truncated = false;

  // A trailing item at [at, at+len): is it there, cut off by the reader, or absent?
  const take = (at: number, len: number, kind: 'jpeg' | 'video', label: string): void => {
    if (len <= 0 || at < firstEnd || at + len > maxSize) {
      out.notes.push(`${label} has an impossible place`);
      return;
    }
    declaredEnd = Math.max(declaredEnd, at + len);
    if (at + len > limit) {
      // The reader ends inside it: only what is there can be judged.
      const head = src.read(at, 8);
      const starts =
        kind === 'jpeg'
          ? head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff
          : head.length < 8 || head.subarray(4, 8).toString('latin1') === 'ftyp';
      if (starts) truncated = true;
      else out.notes.push(`${label} not found`);
      return;
    }
    const ok = kind === 'jpeg' ? input.checkJpeg(sliceReader(src, at, len), len) !== null : isIsoBmffSpan(src, at, len);
    if (!ok) {
      out.notes.push(`${label} not found`);
      return;
    }
    if (kind === 'jpeg') out.images.push({ offset: at, length: len });
    else out.video = { offset: at, length: len };
    out.end = Math.max(out.end, at + len);
  };

  if (input.mpfTiff >= 0 && input.mpfPayload) {
    const entries = parseMpIndex(input.mpfPayload) ?? [];
    entries.forEach((e, i) => {
      // Offset 0: the first image itself, or an image not stored in this file.
      if (e.offset === 0 || e.size === 0) return;
      take(input.mpfTiff + e.offset, e.size, 'jpeg', `MPF image ${i + 1}`);
    });
  }

  if (input.xmp) {
    const items = parseContainerDirectory(input.xmp);
    if (items && items.length > 1) {
      let at = firstEnd + items[0].padding;
      for (let i = 1; i < items.length; i++) {
        const it = items[i];
        const kind = it.mime.startsWith('image/jpeg') ? 'jpeg' : it.mime.startsWith('video/') ? 'video' : null;
        // A gain map listed here is usually also an MPF image: take() is idempotent on the end.
        if (kind && !out.images.some((im) => im.offset === at)) take(at, it.length, kind, `motion photo item ${i} (${it.mime})`);
        // Only the primary item's Padding counts (bytes between its end and the next item).
        at += it.length;
      }
    } else {
      const v = parseMicroVideoOffset(input.xmp);
      if (v !== null && v > 0) take(firstEnd, v, 'video', 'motion photo video');
    }
  }

  if (truncated) {
    out.truncatedAt = limit;
    out.expectedLength = declaredEnd;
  }
  return out;
}
