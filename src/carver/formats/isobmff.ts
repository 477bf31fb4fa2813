// The ISO base media file family (HEIC/HEIF, MP4/3GP, MOV): walk the top-level boxes to find
// where a file ends, and check that its index (moov sample tables, meta iloc, moof runs) points
// into media data this file really holds. Shared by heic.ts, mp4.ts and mov.ts.
import type { ByteReader } from '../../core/types.ts';
import type { Measurement, ProbeResult } from '../format.ts';
import { readTopHeader } from './isobmff-boxes.ts';
import { readU64BE } from '../../core/bounds.ts';
import { parseMeta } from './isobmff-iloc.ts';
import { type NalSamples, type Range, mergeRanges, parseMoof, parseMoov } from './isobmff-samples.ts';
import { type SampleCheck, checkSamples } from './isobmff-nal.ts';
import { foreignStart } from './isobmff-foreign.ts';

export type { Range } from './isobmff-samples.ts';
export { classifyFtyp, parseFtyp } from './isobmff-brands.ts';

export const GiB = 1024 ** 3;

/** Box types a file may have at its top level. Anything else where a box should begin ends the walk. */
const TOP_LEVEL = new Set([
  'ftyp', 'moov', 'mdat', 'meta', 'free', 'skip', 'wide', 'uuid', 'pdin', 'moof', 'mfra', 'sidx', 'styp', 'emsg',
  'prft', 'ssix', 'idat', 'iinf', 'jumb', 'PICT', 'pnot', 'sefd', 'udta', 'junk', 'bloc', 'ainf', 'mvex',
]);
/** What an unknown box type must look like to be stepped over: letters, digits, trailing spaces. */
const PLAUSIBLE_TYPE = /^[A-Za-z0-9]{2}[A-Za-z0-9 ]{2}$/;
/** Largest unknown box stepped over (maker previews and metadata are far smaller). */
const MAX_UNKNOWN_BOX = 64 * 1024 * 1024;
/** Boxes that may follow a complete file (camera trailers, padding, fragment index). */
const TRAILERS = new Set(['free', 'skip', 'wide', 'uuid', 'meta', 'udta', 'sefd', 'jumb', 'pnot', 'PICT', 'mfra', 'sidx', 'emsg', 'prft', 'ssix', 'junk']);

/** Most top-level boxes we walk (a long fragmented recording has a few thousand). */
const MAX_TOP_BOXES = 100_000;
/** Largest moov/meta we read into memory; a 4 GB GoPro clip's moov is a few MB. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
const MAX_MOOF_BYTES = 16 * 1024 * 1024;
/** Most bytes of moof boxes read per file (bounds work on hostile input). */
const MAX_MOOF_TOTAL = 256 * 1024 * 1024;

export interface TopBox {
  type: string;
  offset: number;
  /** Declared size (for a size-0 box: what the reader holds from its start). */
  size: number;
  headerSize: number;
  /** Declared to run past the end of the reader. */
  cut: boolean;
  /** Size field 0: runs to the end of the file, wherever that is. */
  toEnd: boolean;
}

type StopReason = 'eof' | 'cut' | 'notbox' | 'toend' | 'limit';

interface Walk {
  boxes: TopBox[];
  /** Where the last whole box ended. */
  end: number;
  stop: StopReason;
  note?: string;
}

/** Walk the top-level boxes from 0 until the bytes stop being boxes of this file. */
function walk(file: ByteReader, maxSize: number): Walk {
  const boxes: TopBox[] = [];
  const seen = new Set<string>();
  let pos = 0;
  const stop = (why: StopReason, note?: string): Walk => ({ boxes, end: pos, stop: why, note });
  while (true) {
    if (boxes.length >= MAX_TOP_BOXES) return stop('limit', 'too many boxes');
    if (file.size - pos < 8) return stop('eof');
    const h = readTopHeader(file, pos);
    if (!h) return stop('notbox', 'unreadable box header');
    // A writer's own box (a four-letter type we do not know) is stepped over when it is small
    // and whole; what comes after the file proper is judged later (only known trailers count).
    const known = TOP_LEVEL.has(h.type);
    if (!known && !(PLAUSIBLE_TYPE.test(h.type) && h.size >= 8 && h.size <= MAX_UNKNOWN_BOX && pos + h.size <= file.size)) return stop('notbox', 'not a box');
    if ((h.type === 'ftyp') !== (pos === 0)) return stop('notbox', 'ftyp out of place');
    // One movie and one item index per file: a second one belongs to the next file.
    if ((h.type === 'moov' || h.type === 'meta') && seen.has(h.type)) return stop('notbox', `second ${h.type}`);
    seen.add(h.type);
    if (h.size === -1) {
      boxes.push({ type: h.type, offset: pos, size: file.size - pos, headerSize: h.headerSize, cut: false, toEnd: true });
      return stop('toend');
    }
    if (h.size < h.headerSize) return stop('notbox', 'box smaller than its header');
    if (pos + h.size > maxSize) return stop('notbox', 'box past the size limit');
    if (pos + h.size > file.size) {
      boxes.push({ type: h.type, offset: pos, size: h.size, headerSize: h.headerSize, cut: true, toEnd: false });
      return stop('cut');
    }
    boxes.push({ type: h.type, offset: pos, size: h.size, headerSize: h.headerSize, cut: false, toEnd: false });
    pos += h.size;
  }
}

interface Index {
  /** A moov, meta-with-iloc or moof was read. */
  present: boolean;
  fragmented: boolean;
  moofs: number;
  /** The movie has no chunk tables we can check (compressed moov, empty tracks). */
  unchecked: boolean;
  ranges: Range[];
  broken: string[];
  /** End of the last index box (moov, meta, moof). */
  end: number;
  /** Where a segment index ('sidx') says the fragments end; 0 when there is none. */
  declaredEnd: number;
  /** Video samples whose NAL framing can be checked. */
  nal: NalSamples[];
}

/** Where the material a 'sidx' indexes ends: its end + first_offset + the referenced sizes. */
function sidxSpanEnd(buf: Buffer, sidxOffset: number): number {
  if (buf.length < 12 + 20) return 0;
  const version = buf[8];
  let p = 12 + 8; // version/flags, reference_ID, timescale
  let firstOffset: number;
  if (version === 0) {
    firstOffset = buf.readUInt32BE(p + 4);
    p += 8;
  } else {
    if (buf.length < p + 16 + 4) return 0;
    firstOffset = readU64BE(buf, p + 8);
    p += 16;
  }
  const count = buf.readUInt16BE(p + 2);
  p += 4;
  if (firstOffset < 0 || p + count * 12 > buf.length) return 0;
  let total = 0;
  for (let i = 0; i < count; i++) total += buf.readUInt32BE(p + i * 12) & 0x7fffffff;
  return sidxOffset + buf.length + firstOffset + total;
}

function readIndex(file: ByteReader, boxes: readonly TopBox[]): Index {
  const idx: Index = { present: false, fragmented: false, moofs: 0, unchecked: false, ranges: [], broken: [], end: 0, declaredEnd: 0, nal: [] };
  const raw: Range[] = [];
  let movie: Parameters<typeof parseMoof>[2] = { trexSize: new Map(), trackCodec: new Map() };
  let moofBytes = 0;
  for (const b of boxes) {
    if (b.cut || b.toEnd) continue;
    if (b.type === 'moov' || b.type === 'meta') {
      if (b.size > MAX_INDEX_BYTES) {
        idx.broken.push(`${b.type} larger than ${MAX_INDEX_BYTES} bytes`);
        continue;
      }
      const buf = file.read(b.offset, b.size);
      if (b.type === 'moov') {
        const m = parseMoov(buf);
        idx.present = true;
        idx.end = Math.max(idx.end, b.offset + b.size);
        idx.fragmented = m.fragmented;
        movie = m;
        idx.nal.push(...m.nal);
        idx.broken.push(...m.broken);
        raw.push(...m.chunks);
        if (m.compressed || (m.chunks.length === 0 && !m.fragmented)) idx.unchecked = true;
      } else {
        const m = parseMeta(buf);
        if (!m.hasIloc) continue; // a camera's metadata trailer, not an item index
        idx.present = true;
        idx.end = Math.max(idx.end, b.offset + b.size);
        idx.broken.push(...m.broken);
        raw.push(...m.extents);
        idx.nal.push(...m.nal);
        // Items all in idat or elsewhere: nothing to check, so the file's mdat boxes all count.
        if (m.extents.length === 0) idx.unchecked = true;
      }
    } else if (b.type === 'sidx' && idx.moofs === 0) {
      // A segment index ahead of the fragments says how far they reach (at most 65535 refs).
      if (b.size <= 16 + 20 + 65535 * 12) idx.declaredEnd = Math.max(idx.declaredEnd, sidxSpanEnd(file.read(b.offset, b.size), b.offset));
    } else if (b.type === 'moof') {
      moofBytes += b.size;
      if (b.size > MAX_MOOF_BYTES || moofBytes > MAX_MOOF_TOTAL) {
        idx.broken.push('movie fragment too large');
        continue;
      }
      idx.moofs++;
      idx.end = Math.max(idx.end, b.offset + b.size);
      parseMoof(file.read(b.offset, b.size), b.offset, movie, raw, idx.broken, idx.nal);
    }
  }
  idx.ranges = mergeRanges(raw);
  return idx;
}

/**
 * The mdat box whose payload holds [offset, offset+length), judged by declared sizes. `mdats`
 * are in file order, so the candidate is the last one starting at or before the range.
 */
function holder(mdats: readonly TopBox[], r: Range): TopBox | undefined {
  let lo = 0;
  let hi = mdats.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (mdats[mid].offset + mdats[mid].headerSize <= r.offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const m = best >= 0 ? mdats[best] : undefined;
  return m && (m.toEnd || r.offset + r.length <= m.offset + m.size) ? m : undefined;
}

interface Analysis {
  walk: Walk;
  index: Index;
  measurement: Measurement;
}

function analyse(file: ByteReader, probe: ProbeResult | null, maxSize: number, checkPictures = true): Analysis {
  const w = walk(file, maxSize);
  const index = readIndex(file, w.boxes);
  const done = (measurement: Measurement): Analysis => ({ walk: w, index, measurement });
  const boxes = w.boxes;
  const first = boxes[0];
  if (!first || first.type !== 'ftyp') return done({ status: 'invalid', length: 0, reason: 'no ftyp box at the start' });
  if (first.cut) return done({ status: 'partial', length: file.size, expectedLength: first.size, reason: 'cut inside ftyp' });
  const cut = boxes.find((b) => b.cut);
  const cutEnd = cut ? cut.offset + cut.size : 0;
  const mdats = boxes.filter((b) => b.type === 'mdat');
  const what = probe?.format === 'heic' ? 'meta/iloc' : 'moov';

  if (!index.present) {
    // Nothing says where the media data is, so it is only believed up to another file's start.
    const ownUpTo = (end: number): number => {
      const f = foreignStart(file, first.size, end);
      return f >= 0 ? f : end;
    };
    if (cut) return done({ status: 'partial', length: ownUpTo(file.size), expectedLength: cutEnd, reason: `cut inside ${cut.type} before any ${what}` });
    const toEnd = boxes.find((b) => b.toEnd);
    if (toEnd) return done({ status: 'partial', length: toEnd.offset + toEnd.headerSize, reason: `${toEnd.type} of unknown length and no ${what}` });
    if (mdats.length > 0) return done({ status: 'partial', length: ownUpTo(w.end), reason: `media data without its ${what} (${w.note ?? 'file ends'})` });
    return done({ status: 'invalid', length: 0, reason: `ftyp with no ${what} or media data after it` });
  }
  if (cut && (cut.type === 'moov' || cut.type === 'meta')) {
    return done({ status: 'partial', length: file.size, expectedLength: cutEnd, reason: `cut inside ${cut.type}` });
  }
  if (index.broken.length > 0) return done({ status: 'partial', length: w.end, reason: `damaged index: ${index.broken[0]}` });
  if (index.fragmented && index.moofs === 0) return done({ status: 'partial', length: w.end, reason: 'fragmented movie without any fragment' });

  // Every range of media data must sit in an mdat of this file.
  let required = index.end;
  let needCut = false;
  let maxRangeEnd = 0;
  for (const r of index.ranges) {
    const rEnd = r.offset + r.length;
    maxRangeEnd = Math.max(maxRangeEnd, rEnd);
    const m = holder(mdats, r);
    if (!m) {
      const lost = r.offset >= w.end;
      return done({
        status: 'partial',
        length: w.end,
        expectedLength: lost ? maxOf(index.ranges) : undefined,
        reason: lost ? `media data past where the boxes stop (${w.note ?? 'file ends'})` : `index points outside the media data (offset ${r.offset})`,
      });
    }
    if (m.cut || (m.toEnd && rEnd > file.size)) needCut = true;
    required = Math.max(required, m.toEnd ? rEnd : m.offset + m.size);
  }
  if (index.unchecked) for (const m of mdats) if (!m.toEnd) required = Math.max(required, m.offset + m.size);
  if (index.declaredEnd > 0 && index.fragmented) {
    if (index.declaredEnd > w.end && !cut) {
      return done({ status: 'partial', length: w.end, expectedLength: index.declaredEnd, reason: 'fragments missing before the end the segment index gives' });
    }
    required = Math.max(required, index.declaredEnd);
  }
  // The file ends at a box boundary: the end of the box holding the last required byte.
  for (const b of boxes) if (b.offset < required && b.offset + b.size > required && !b.toEnd) required = b.offset + b.size;
  if (needCut || (cut && cut.offset < required)) {
    // What the reader does hold may already have stopped being this file.
    const check = checkPictures ? checkSamples(file, index.nal) : null;
    const expectedLength = Math.max(cutEnd, maxRangeEnd, required);
    if (check && check.bad >= 0) return done({ status: 'partial', length: breakPoint(file, check), expectedLength, reason: pictureReason(check) });
    return done({ status: 'partial', length: file.size, expectedLength, reason: 'file cut inside its media data' });
  }
  const toEnd = boxes.find((b) => b.toEnd);
  if (toEnd && toEnd.offset < required && toEnd.type !== 'mdat') {
    return done({ status: 'partial', length: toEnd.offset, reason: `${toEnd.type} of unknown length` });
  }

  // Trailing boxes cameras add after the file proper; stop at the first that is not one.
  let end = required;
  for (const b of boxes) {
    if (b.offset < required) continue;
    // A box cut by the end of the reader right where this file goes on: the rest is missing.
    // (Only known types are ever cut: the walk steps over unknown ones only when whole.)
    if (b.cut) return done({ status: 'partial', length: file.size, expectedLength: b.offset + b.size, reason: `cut inside ${b.type} after the file's data` });
    if (!TRAILERS.has(b.type) || b.toEnd) break;
    if (b.type === 'mfra' && !mfroAgrees(file, b)) break;
    end = b.offset + b.size;
  }
  // The structure is whole; now check the video samples really are video (see isobmff-nal.ts).
  const check = checkPictures ? checkSamples(file, index.nal) : null;
  if (check && check.bad >= 0) {
    return done({
      status: 'partial',
      length: breakPoint(file, check),
      expectedLength: end,
      reason: pictureReason(check),
    });
  }
  return done({ status: 'complete', length: end });
}

/** A movie fragment random access box ends with an 'mfro' giving its own size: they must agree. */
function mfroAgrees(file: ByteReader, mfra: TopBox): boolean {
  if (mfra.size < mfra.headerSize + 16) return false;
  const tail = file.read(mfra.offset + mfra.size - 16, 16);
  return tail.length === 16 && tail.readUInt32BE(0) === 16 && tail.toString('latin1', 4, 8) === 'mfro' && tail.readUInt32BE(12) === mfra.size;
}

/**
 * Where the file stops being itself, given the last picture that checked out and the first that
 * did not: exactly, when another file's start or never-written space lies between them (the
 * usual case on a card); otherwise the start of the last good picture (its inside is unchecked).
 */
function breakPoint(file: ByteReader, check: SampleCheck): number {
  const f = foreignStart(file, check.lastGood + 1, check.bad + 1);
  return f > check.lastGood ? f : check.lastGood;
}

function pictureReason(check: SampleCheck): string {
  return `coded picture at ${check.bad} does not start as its format says: the file is fragmented or overwritten after ${check.lastGood}`;
}

function maxOf(ranges: readonly Range[]): number {
  let m = 0;
  for (const r of ranges) m = Math.max(m, r.offset + r.length);
  return m;
}

/** Find where the ISO-BMFF file at 0 ends and judge it. Never throws. */
export function measureIsobmff(file: ByteReader, probe: ProbeResult, maxSize: number): Measurement {
  try {
    return analyse(file, probe, maxSize).measurement;
  } catch (e) {
    // The parsers bound every read; this is a last guard so junk never crashes a scan.
    return { status: 'invalid', length: 0, reason: `unreadable structure: ${(e as Error).message}` };
  }
}

/**
 * The file-relative byte ranges where the sample tables, movie fragments or iloc say media data
 * must be (sorted, merged). Null when no index could be read. For the fragment assembler.
 */
export function chunkMap(file: ByteReader, maxSize = 64 * GiB): Range[] | null {
  try {
    const a = analyse(file, null, maxSize, false);
    return a.index.present ? a.index.ranges : null;
  } catch {
    return null;
  }
}

/**
 * Where media data must lie according to one 'moov' or 'meta' box found on its own (whole box,
 * header included): for an assembler that found the index of an mdat-first file elsewhere on
 * the medium. File-relative, sorted, merged; null when the box holds no usable index.
 */
export function indexRanges(box: Buffer): Range[] | null {
  try {
    if (box.length < 16 || box.length > MAX_INDEX_BYTES) return null;
    const type = box.toString('latin1', 4, 8);
    if (type === 'moov') {
      const m = parseMoov(box);
      return m.broken.length === 0 && m.chunks.length > 0 ? mergeRanges(m.chunks) : null;
    }
    if (type === 'meta') {
      const m = parseMeta(box);
      return m.broken.length === 0 && m.extents.length > 0 ? mergeRanges(m.extents) : null;
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * Check the H.264/HEVC framing of every coded picture the index lists (video samples, HEIC
 * tiles), in file order. For the fragment assembler: `bad` is where the file stops being
 * itself. Null when no index could be read.
 */
export function sampleCheck(file: ByteReader, maxSize = 64 * GiB): SampleCheck | null {
  try {
    const a = analyse(file, null, maxSize, false);
    return a.index.present ? checkSamples(file, a.index.nal) : null;
  } catch {
    return null;
  }
}

/** The top-level boxes as far as they parse: type, offset, declared size. */
export function boxLayout(file: ByteReader, maxSize = 64 * GiB): { type: string; offset: number; size: number; cut: boolean }[] {
  try {
    return walk(file, maxSize).boxes.map((b) => ({ type: b.type, offset: b.offset, size: b.size, cut: b.cut }));
  } catch {
    return [];
  }
}
