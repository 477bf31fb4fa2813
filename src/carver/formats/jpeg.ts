// JPEG (JFIF/EXIF, baseline and progressive, with MPF images and motion-photo videos).
//
// probe: SOI, then marker segments that look like a writer's (cheap, head only).
// measure: walk segments by their bounded lengths (so the EXIF thumbnail's own FFD8…FFD9
// inside APP1 is stepped over, never taken as the end), Huffman-decode every scan without
// IDCT to prove the entropy data is a JPEG bitstream up to EOI, then take in what the file
// declares after it (MPF images, a motion photo's MP4).
// Also for other modules: jpegDecodeUntilFailure, jpegResumePoint/jpegContinue (fragment
// assembly) and embeddedRanges (headers the scanner should not report as files).
// The walk lives in ./jpeg/: walk.ts (markers), scan.ts, sequential.ts and progressive.ts
// (decoders), bitreader.ts, huffman.ts, headers.ts, geometry.ts, after-eoi.ts and mpf.ts
// (what follows the first EOI), splice.ts (a hint where foreign data was spliced in).
import type { ByteReader, Extent } from '../../core/types.ts';
import { sliceReader } from '../../core/readers.ts';
import type { FormatModule, MeasureHint, Measurement, ProbeResult } from '../format.ts';
import { isSof, sofKind } from './jpeg/headers.ts';
import { SECTOR, walkJpeg, type ScanSnapshot, type WalkResult } from './jpeg/walk.ts';

export const JPEG_MAX_SIZE = 64 * 1024 * 1024;
/** Partial lengths from a decode failure are rounded down to this (from the file's start). */
export const JPEG_SECTOR = SECTOR;
const SOI3 = Buffer.from([0xff, 0xd8, 0xff]);

/** A printable APPn identifier ("JFIF\0", "Exif\0", "http://…", "ICC_PROFILE", "MPF\0", "Ducky"…). */
function printableId(head: Buffer, at: number, avail: number): boolean {
  const n = Math.min(4, avail);
  if (n < 2) return true; // the head ends here: nothing to judge
  for (let i = 0; i < n; i++) {
    const c = head[at + i];
    if (c === 0 && i >= 2) return true;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Is `head` (up to 4 KiB at a candidate start) the start of a JPEG? Accepts SOI followed by
 * marker segments a writer produces, with sane lengths, as far as the head reaches; reports
 * 'progressive', 'baseline' or 'lossless' when the frame header is inside the head.
 */
function probe(head: Buffer): ProbeResult | null {
  if (head.length < 6 || head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) return null;
  let pos = 2;
  let first = true;
  while (pos + 4 <= head.length) {
    if (head[pos] !== 0xff) return null;
    let fills = 0;
    while (head[pos + 1] === 0xff && pos + 5 < head.length) {
      pos++;
      if (++fills > 16) return null;
    }
    const m = head[pos + 1];
    const len = head.readUInt16BE(pos + 2);
    const avail = head.length - (pos + 4);
    if (len < 2) return null;
    if (m >= 0xe0 && m <= 0xef) {
      if (len < 4 || !printableId(head, pos + 4, Math.min(avail, len - 2))) return null;
    } else if (m === 0xdb) {
      if (len < 67 || (avail > 0 && (head[pos + 4] >> 4 > 1 || (head[pos + 4] & 15) > 3))) return null;
    } else if (m === 0xc4) {
      if (len < 19 || (avail > 0 && (head[pos + 4] >> 4 > 1 || (head[pos + 4] & 15) > 3))) return null;
    } else if (isSof(m)) {
      if (avail >= 6) {
        const p = head[pos + 4];
        const nf = head[pos + 9];
        if (nf < 1 || nf > 4 || len !== 8 + 3 * nf) return null;
        if (sofKind(m) !== 'lossless' && p !== 8 && p !== 12) return null;
        if (head.readUInt16BE(pos + 7) === 0) return null;
      }
      return { format: 'jpeg', ext: 'jpg', brand: sofKind(m) };
    } else if (m === 0xdd) {
      if (len !== 4) return null;
    } else if (m === 0xfe) {
      // COM: text a person or program wrote (random bytes rarely are).
      for (let i = 0; i < Math.min(8, avail, len - 2); i++) {
        const c = head[pos + 4 + i];
        if ((c < 0x20 || c > 0x7e) && c !== 0 && c !== 0x0a && c !== 0x0d && c !== 0x09) return null;
      }
    } else {
      // SOS before SOF, RSTn, EOI, reserved codes: not a JPEG start.
      return null;
    }
    first = false;
    pos += 2 + len;
  }
  if (first) return null;
  return { format: 'jpeg', ext: 'jpg' };
}

function measure(file: ByteReader, _probe: ProbeResult, hint?: MeasureHint): Measurement {
  if (hint?.expectedLength) {
    // A directory entry's size that the marker walk meets to the byte: no need to decode.
    const quick = walkJpeg(file, { maxSize: JPEG_MAX_SIZE, decode: false, mpf: true });
    if (quick.status === 'complete' && quick.length === hint.expectedLength) return { status: 'complete', length: quick.length };
  }
  const w = walkJpeg(file, { maxSize: JPEG_MAX_SIZE, decode: true, mpf: true });
  const out: Measurement = { status: w.status, length: w.status === 'invalid' ? 0 : w.length };
  if (w.reason) out.reason = w.reason;
  if (w.expectedLength !== undefined) out.expectedLength = w.expectedLength;
  return out;
}

export const jpeg: FormatModule = {
  id: 'jpeg',
  ext: 'jpg',
  mime: 'image/jpeg',
  maxSize: JPEG_MAX_SIZE,
  signatures: [{ offset: 0, bytes: Uint8Array.of(0xff, 0xd8, 0xff) }],
  probe,
  measure,
};

export interface DecodeProgress {
  /** True when the stream decodes cleanly to EOI (and MPF images are all there). */
  ok: boolean;
  /**
   * How many leading bytes are believed good: the whole length when ok; else the start of
   * the 512-byte sector (from the start of `file`) where decoding failed, pulled back to the
   * start of a run of zeros that led up to the failure. When the reader simply ended,
   * everything read is good (goodLength = file.size).
   */
  goodLength: number;
  /** ok only: the file's end (= goodLength). */
  end?: number;
  /** Where the decoder noticed the stream stopped making sense (not sector-rounded). */
  failAt?: number;
  /**
   * A hint, when decoding failed late: the byte where the picture's rows stop lining up with
   * the rows above (foreign scan data decoding as valid blocks), before goodLength. Busy parts
   * of real pictures can look the same, so treat it as one more place to try a joint, not as
   * the end of the good data.
   */
  suspect?: number;
  /** True when the reader ended before EOI: the rest is missing rather than wrong. */
  ranOut?: boolean;
  reason?: string;
}

/**
 * For the fragment assembler: decode `file` (a JPEG laid over candidate extents, read from 0)
 * and say how far it stays a valid JPEG bitstream. Try a continuation candidate by building
 * an extentReader over (known-good extents + candidate) and checking that goodLength moves
 * past the joint. Cost is one full decode (no IDCT) per call.
 */
export function jpegDecodeUntilFailure(file: ByteReader, maxSize = JPEG_MAX_SIZE): DecodeProgress {
  return progressOf(walkJpeg(file, { maxSize, decode: true, mpf: true }), file);
}

/**
 * A place to go on decoding from, so that trying many continuations of a fragmented JPEG
 * costs the continuation only, not a decode from the start each time.
 */
export interface JpegResumePoint {
  /**
   * Bytes [0, offset) are part of the saved state (headers and the entropy data decoded so
   * far): a reader given to jpegContinue must hold the same bytes there.
   */
  readonly offset: number;
  readonly state: ScanSnapshot;
}

/**
 * The decoder state at the last MCU start at or before `before` (typically the goodLength of
 * a failed jpegDecodeUntilFailure, i.e. where the first fragment ends). Sequential (baseline
 * and extended) JPEGs only; null for progressive or arithmetic files, or when no MCU starts
 * before `before`.
 */
export function jpegResumePoint(file: ByteReader, before: number, maxSize = JPEG_MAX_SIZE): JpegResumePoint | null {
  return jpegResumePoints(file, [before], maxSize)[0];
}

/**
 * jpegResumePoint for several positions in one decode (say every cluster boundary before
 * goodLength, when the true joint may lie earlier than where decoding failed). Same order
 * as `before`.
 */
export function jpegResumePoints(file: ByteReader, before: readonly number[], maxSize = JPEG_MAX_SIZE): (JpegResumePoint | null)[] {
  const order = before.map((_, i) => i).sort((a, b) => before[a] - before[b]);
  const w = walkJpeg(file, { maxSize, decode: true, mpf: false, snapshotTargets: order.map((i) => before[i]) });
  const out: (JpegResumePoint | null)[] = before.map(() => null);
  order.forEach((orig, k) => {
    const s = w.snapshots?.[k];
    if (s) out[orig] = { offset: s.seq.readPos, state: s };
  });
  return out;
}

/**
 * Decode `file` (same bytes as when `point` was taken up to point.offset, then a candidate
 * continuation) from the saved state on, and say how far it stays valid, as
 * jpegDecodeUntilFailure does. Headers are read again (they are small); the entropy data
 * before point.offset is not.
 */
export function jpegContinue(file: ByteReader, point: JpegResumePoint, maxSize = JPEG_MAX_SIZE): DecodeProgress {
  return progressOf(walkJpeg(file, { maxSize, decode: true, mpf: true, resume: point.state }), file);
}

function progressOf(w: WalkResult, file: ByteReader): DecodeProgress {
  if (w.status === 'complete') return { ok: true, goodLength: w.length, end: w.length };
  const out: DecodeProgress = { ok: false, goodLength: w.length };
  if (w.failAt !== undefined) out.failAt = w.failAt;
  if (w.reason) out.reason = w.reason;
  if (w.suspect !== undefined) out.suspect = w.suspect;
  if (w.status === 'partial' && w.length === file.size && w.reason === 'data ends before EOI') out.ranOut = true;
  return out;
}

export interface EmbeddedRange extends Extent {
  /**
   * 'app': a JPEG inside an APPn segment (EXIF thumbnail, maker preview); 'mpf': an MPF image
   * after the first EOI; 'video': a motion photo's MP4 after the image(s).
   */
  kind: 'app' | 'mpf' | 'video';
}

/**
 * Byte ranges [offset, offset+length) of JPEGs embedded in the JPEG at the start of `file`:
 * EXIF thumbnails and maker-note previews inside APPn segments, MPF secondary images after
 * the first EOI, and a motion photo's MP4 video. The scanner should not report headers found inside them as files.
 * Walks markers only (no decoding), so it is cheap.
 */
export function embeddedRanges(file: ByteReader, maxSize = JPEG_MAX_SIZE): EmbeddedRange[] {
  const w = walkJpeg(file, { maxSize, decode: false, mpf: true });
  const out: EmbeddedRange[] = [];
  for (const app of w.apps) {
    const payload = file.read(app.start, app.end - app.start);
    let i = payload.indexOf(SOI3);
    while (i >= 0) {
      const at = app.start + i;
      const sub = walkJpeg(sliceReader(file, at, app.end - at), { maxSize: app.end - at, decode: true, mpf: false });
      const len = sub.status === 'complete' ? sub.length : app.end - at;
      out.push({ offset: at, length: len, kind: 'app' });
      i = payload.indexOf(SOI3, i + Math.max(len, 3));
    }
  }
  for (const img of w.mpfImages) out.push({ offset: img.offset, length: img.length, kind: 'mpf' });
  if (w.video) out.push({ offset: w.video.offset, length: w.video.length, kind: 'video' });
  return out;
}

