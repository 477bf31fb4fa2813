// Walk a JPEG from its SOI: marker segments by their (bounded) lengths, each scan's
// entropy data by decoding it, and the MPF secondary images after the first EOI.
import type { ByteReader } from '../../../core/types.ts';
import { emptyTables, isSof, parseDht, parseDqt, parseSof, parseSos, type Frame } from './headers.ts';
import { MAX_MASK_BLOCKS, ProgressiveState } from './progressive.ts';
import { walkByMarkers, walkScan, type ScanContext } from './scan.ts';
import type { SeqSnapshot } from './geometry.ts';
import { trailers } from './after-eoi.ts';
import { fillStandardTables } from './standard-tables.ts';

export const SECTOR = 512;
const XMP_ID = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const WINDOW = 128 * 1024;
/** A file with more marker segments than this is not a camera's JPEG. */
const MAX_SEGMENTS = 20_000;
/** How far back to look for the start of a run of zeros that decoded as if it were data. */
const ZERO_LOOKBACK = 64 * 1024 * 1024;

export interface WalkOptions {
  maxSize: number;
  /** Huffman-decode scans (strong check); false walks markers only (fast, for layout questions). */
  decode: boolean;
  /** Follow the MPF index to secondary images after the first EOI. */
  mpf: boolean;
  /** Ascending positions: record the decoder state at the last MCU start at or before each (sequential scans). */
  snapshotTargets?: readonly number[];
  /** Go on decoding from a recorded state: earlier scans are walked by markers only. */
  resume?: ScanSnapshot;
}

/** A sequential decoder state and the scan (counted from 0) it belongs to. */
export interface ScanSnapshot {
  scanIndex: number;
  seq: SeqSnapshot;
}

/** A segment payload [start, end) of an APPn segment, absolute in the walked reader. */
export interface AppSegment {
  marker: number;
  start: number;
  end: number;
}

export interface WalkResult {
  status: 'complete' | 'partial' | 'invalid';
  /** complete: the file's length; partial: bytes believed good; invalid: 0. */
  length: number;
  reason?: string;
  /** partial: where the data stopped making sense (before sector rounding). */
  failAt?: number;
  /** With WalkOptions.snapshotTargets: per target, the latest state recorded (or undefined). */
  snapshots?: (ScanSnapshot | undefined)[];
  /** partial: where a splice of foreign scan data probably began (a hint; see splice.ts). */
  suspect?: number;
  /** partial: the MPF index says the file is this long. */
  expectedLength?: number;
  frame?: Frame;
  apps: AppSegment[];
  /** End of the first image (just after its EOI), when reached. */
  firstEnd?: number;
  /** MPF secondary images found where the index says (absolute [offset, offset+length)). */
  mpfImages: { offset: number; length: number }[];
  /** A motion photo's video after the image(s), when found where the XMP says. */
  video?: { offset: number; length: number };
}

/** Cached window over the reader for the small reads of the marker walk. */
class Window {
  private readonly src: ByteReader;
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  constructor(src: ByteReader) {
    this.src = src;
  }
  /** Up to `len` bytes at `pos` (fewer at the end of the reader). */
  get(pos: number, len: number): Buffer {
    if (pos < this.start || pos + len > this.start + this.buf.length) {
      this.start = pos;
      this.buf = this.src.read(pos, Math.max(len, WINDOW));
    }
    return this.buf.subarray(pos - this.start, pos - this.start + len);
  }
  byte(pos: number): number {
    const b = this.get(pos, 1);
    return b.length ? b[0] : -1;
  }
}

/** An APPn identifier a writer would use: 2+ printable ASCII characters, then NUL or more text. */
function looksLikeAppId(p: Buffer): boolean {
  if (p.length < 2) return false;
  for (let i = 0; i < Math.min(4, p.length); i++) {
    const c = p[i];
    if (c === 0 && i >= 2) return true;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Start of the zero run that ends at `failAt`, if that run is longer than a sector. */
function zeroRunStart(src: ByteReader, from: number, failAt: number): number | null {
  let pos = Math.min(failAt, src.size);
  const stop = Math.max(from, pos - ZERO_LOOKBACK);
  // Usually the byte just before the failure is not zero: start small, then read more.
  let step = SECTOR;
  while (pos > stop) {
    const n = Math.min(step, pos - stop);
    step = Math.min(WINDOW, step * 8);
    const b = src.read(pos - n, n);
    for (let i = b.length - 1; i >= 0; i--) {
      if (b[i] !== 0) {
        const runStart = pos - n + i + 1;
        return failAt - runStart >= SECTOR ? runStart : null;
      }
    }
    pos -= n;
  }
  return failAt - stop >= SECTOR ? stop : null;
}

/**
 * The first 512-byte sector (aligned from the start of the file) in [from, to) that is all
 * zeros. A whole zero sector inside failing entropy data is almost surely where the real
 * data stopped: zeros decode as valid blocks with many tables, so the decoder may only
 * fail well after them.
 */
function firstZeroSector(src: ByteReader, from: number, to: number): number | null {
  let pos = Math.ceil(from / SECTOR) * SECTOR;
  const zero = Buffer.alloc(SECTOR);
  while (pos + SECTOR <= to) {
    const n = Math.min(WINDOW, Math.floor((to - pos) / SECTOR) * SECTOR);
    const b = src.read(pos, n);
    for (let i = 0; i + SECTOR <= b.length; i += SECTOR) {
      if (b[i] === 0 && b[i + SECTOR - 1] === 0 && b.subarray(i, i + SECTOR).equals(zero)) return pos + i;
    }
    if (b.length < n) break;
    pos += n;
  }
  return null;
}

export function walkJpeg(src: ByteReader, opt: WalkOptions): WalkResult {
  const box: Box = { snapshots: new Array<ScanSnapshot | undefined>(opt.snapshotTargets?.length ?? 0) };
  const r = walkCore(src, opt, box);
  if (opt.snapshotTargets) r.snapshots = box.snapshots;
  return r;
}

interface Box {
  snapshots: (ScanSnapshot | undefined)[];
}

function walkCore(src: ByteReader, opt: WalkOptions, box: Box): WalkResult {
  const limit = Math.min(src.size, opt.maxSize);
  const win = new Window(src);
  const apps: AppSegment[] = [];
  const mpfImages: { offset: number; length: number }[] = [];
  const head = win.get(0, 3);
  if (head.length < 3 || head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) {
    return { status: 'invalid', length: 0, reason: 'no SOI marker', apps, mpfImages };
  }
  const tables = emptyTables();
  let frame: Frame | undefined;
  let ctx: ScanContext | null = null;
  let confirmed = false;
  let scans = 0;
  let firstScan = -1;
  const covered = new Set<number>();
  let mpfTiff = -1;
  let mpfPayload: Buffer | null = null;
  let xmp: string | null = null;
  let pos = 2;

  // A problem in the marker structure at `at`: junk if nothing JPEG-like was seen yet.
  const bad = (at: number, reason: string): WalkResult =>
    confirmed
      ? { status: 'partial', length: at, failAt: at, reason, frame, apps, mpfImages }
      : { status: 'invalid', length: 0, reason, apps, mpfImages };
  const ended = (at: number): WalkResult =>
    limit < src.size
      ? bad(at, `longer than ${opt.maxSize} bytes`)
      : confirmed
        ? { status: 'partial', length: src.size, failAt: src.size, reason: 'data ends before EOI', frame, apps, mpfImages }
        : { status: 'invalid', length: 0, reason: 'data ends in the header', apps, mpfImages };

  for (let segments = 0; ; segments++) {
    if (segments > MAX_SEGMENTS) return bad(pos, 'too many marker segments');
    if (pos + 2 > limit) return ended(pos);
    if (win.byte(pos) !== 0xff) return bad(pos, 'expected a marker');
    const markerAt = pos;
    // Fill bytes: any number of FF before the marker code.
    while (pos + 1 < limit && win.byte(pos + 1) === 0xff) pos++;
    if (pos + 2 > limit) return ended(markerAt);
    const m = win.byte(pos + 1);
    if (m === 0xd9) {
      // No frame or no scan: a header with nothing behind it is not a photo (a false hit).
      if (!frame || scans === 0) return { status: 'invalid', length: 0, reason: 'EOI before any image data', apps, mpfImages };
      if (covered.size < frame.components.length) return bad(markerAt, 'EOI before every component was coded');
      const firstEnd = pos + 2;
      const done: WalkResult = { status: 'complete', length: firstEnd, firstEnd, frame, apps, mpfImages };
      if (!opt.mpf) return done;
      const t = trailers({
        src,
        limit,
        maxSize: opt.maxSize,
        firstEnd,
        mpfTiff,
        mpfPayload,
        xmp,
        checkJpeg: (r, max) => {
          const w = walkJpeg(r, { maxSize: max, decode: opt.decode, mpf: false });
          return w.status === 'complete' ? w.length : null;
        },
      });
      done.mpfImages = t.images;
      if (t.video) done.video = t.video;
      if (t.truncatedAt !== undefined) {
        return { ...done, status: 'partial', length: t.truncatedAt, failAt: t.truncatedAt, expectedLength: t.expectedLength, reason: 'data ends inside an image or video the file declares after its first image' };
      }
      done.length = t.end;
      if (t.notes.length) done.reason = `${t.notes.join('; ')} (left out; the first image is whole)`;
      return done;
    }
    if (m === 0x00 || m === 0x01 || m === 0xd8 || (m >= 0xd0 && m <= 0xd7) || m < 0xc0 || (m >= 0xf0 && m <= 0xfd) || m === 0xc8) {
      return bad(markerAt, `unexpected marker FF${m.toString(16).toUpperCase().padStart(2, '0')}`);
    }
    if (pos + 4 > limit) return ended(markerAt);
    const lenBytes = win.get(pos + 2, 2);
    const len = lenBytes.readUInt16BE(0);
    if (len < 2) return bad(markerAt, 'segment length below 2');
    const segEnd = pos + 2 + len;
    if (segEnd > limit) return ended(markerAt);
    const payload = win.get(pos + 4, len - 2);

    if (m >= 0xe0 && m <= 0xef) {
      apps.push({ marker: m, start: pos + 4, end: segEnd });
      if (looksLikeAppId(payload)) confirmed = true;
      else if (!confirmed) return bad(markerAt, 'APP segment without an identifier');
      if (m === 0xe2 && mpfTiff < 0 && payload.length > 12 && payload.subarray(0, 4).toString('latin1') === 'MPF\0') {
        mpfTiff = pos + 8;
        mpfPayload = Buffer.from(payload.subarray(4));
      }
      if (m === 0xe1 && xmp === null && payload.subarray(0, XMP_ID.length).equals(XMP_ID)) {
        xmp = payload.subarray(XMP_ID.length).toString('latin1');
      }
    } else if (isSof(m)) {
      if (frame) return bad(markerAt, 'second frame header');
      const f = parseSof(m, payload);
      if (!f) return bad(markerAt, 'bad frame header');
      frame = f;
      confirmed = true;
    } else if (m === 0xc4) {
      if (!parseDht(payload, tables)) return bad(markerAt, 'bad Huffman table');
      confirmed = true;
    } else if (m === 0xdb) {
      if (!parseDqt(payload, tables)) return bad(markerAt, 'bad quantization table');
      confirmed = true;
    } else if (m === 0xdd) {
      if (len !== 4) return bad(markerAt, 'bad restart interval');
      tables.restartInterval = payload.readUInt16BE(0);
    } else if (m === 0xda) {
      if (!frame) return bad(markerAt, 'scan before frame header');
      const scan = parseSos(payload, frame);
      if (!scan) return bad(markerAt, 'bad scan header');
      fillStandardTables(tables, scan);
      scans++;
      if (firstScan < 0) firstScan = segEnd;
      for (const c of scan.components) covered.add(c.index);
      if (!ctx) {
        const small = ProgressiveState.blocksOf(frame) <= MAX_MASK_BLOCKS;
        ctx = {
          src,
          limit,
          frame,
          tables,
          progressive: frame.progressive && frame.huffmanDct && frame.height > 0 && small ? new ProgressiveState(frame) : null,
          decode: opt.decode,
          reader: null,
        };
      }
      const scanIndex = scans - 1;
      const resume = opt.resume;
      const out =
        resume && scanIndex < resume.scanIndex
          ? walkByMarkers(src, limit, segEnd, tables.restartInterval)
          : walkScan(ctx, scan, segEnd, resume && scanIndex === resume.scanIndex ? { resume: resume.seq } : { snapshotTargets: opt.snapshotTargets });
      // A later scan's state for a target is further on than an earlier scan's.
      out.snapshots?.forEach((sn, i) => {
        if (sn) box.snapshots[i] = { scanIndex, seq: sn };
      });
      if (!out.ok) {
        if (out.endOfData) {
          // The data ran out; but zeros at its end are no data (an unwritten or wiped tail).
          const r = ended(out.failAt);
          const z = r.status === 'partial' ? zeroRunStart(src, segEnd, r.length) : null;
          if (z !== null) r.length = Math.max(segEnd, Math.ceil(z / SECTOR) * SECTOR);
          return r;
        }
        let good = Math.floor(out.failAt / SECTOR) * SECTOR;
        // Zeros decode as valid blocks with many Huffman tables; a long zero run just before the
        // failure is where the real data stopped (a tail that was never written, or wiped).
        const z = zeroRunStart(src, segEnd, out.failAt);
        if (z !== null) good = Math.min(good, Math.ceil(z / SECTOR) * SECTOR);
        // Data before a resume point was checked by the decode that made it.
        const checkedTo = opt.resume ? opt.resume.seq.readPos : firstScan < 0 ? segEnd : firstScan;
        const zs = firstZeroSector(src, checkedTo, out.failAt);
        if (zs !== null) good = Math.min(good, zs);

        good = Math.max(good, Math.min(segEnd, out.failAt));
        const res: WalkResult = { status: 'partial', length: good, failAt: out.failAt, reason: out.reason, frame, apps, mpfImages };
        // Only a hint: busy parts of real pictures can look like splices (see splice.ts).
        if (out.suspect !== undefined && out.suspect < good) res.suspect = out.suspect;
        return res;
      }
      pos = out.next;
      continue;
    } else if (m === 0xfe || m === 0xdc || m === 0xcc || m === 0xde || m === 0xdf) {
      // COM, DNL, DAC, DHP, EXP: nothing the walk needs.
    } else {
      return bad(markerAt, `unexpected marker FF${m.toString(16).toUpperCase()}`);
    }
    pos = segEnd;
  }
}
