// Putting a fragmented MP4/MOV (or HEIF image) back together from its sample tables.
//
// The moov (or a HEIF meta/iloc) says, for every sample, where in the file it lies and how long
// it is; video samples are NAL units behind length fields that must tile the sample exactly, and
// raw AAC frames begin with a channel element and end with the END element. So, walking the
// file from its start, we know where each run of clusters stops being the file (a sample fails
// its check), and we find where the file goes on: the one medium position, among the following
// allowed clusters, where the next samples check out again. Where in between the break lies
// (the samples there may be too big to say) is settled by the clusters themselves: one choice
// left by the checks, clusters another nearby movie (put together first) or another file's
// start or slack holds, or the one choice that puts the piece right after a cluster ending in
// slack (zeros after another file's end). Clusters no check proved are taken on trust only as
// far as TRUSTED_UNITS allows for a complete verdict; beyond that the file comes back whole
// but partial. Anything ambiguous gives up.
import type { ByteReader } from '../core/types.ts';
import { ALL_FORMATS } from '../core/types.ts';
import { probeAny } from '../carver/registry.ts';
import { sliceReader } from '../core/readers.ts';
import { boxLayout, classifyFtyp, parseFtyp } from '../carver/formats/isobmff.ts';
import { sampleIsNalFramed } from '../carver/formats/isobmff-nal.ts';
import { type CachedMedium, type Geometry, type Run, trailingZeros } from './reassemble-medium.ts';
import { type Checkpoint, type MovieTables, readItemTables, readMovieTables } from './reassemble-tables.ts';

/** Largest moov we read (a long clip's tables are a few MB). */
const MAX_MOOV = 64 * 1024 * 1024;
/** How many following checkpoints a candidate continuation must pass to be believed. */
const MIN_SCORE = 3;
/** How many checkpoints we look at to score one candidate. */
const MAX_SCORE = 12;
/** How many samples after a break we try as the anchor of the next piece. */
const ANCHORS = 4;
/** Zero bytes at a cluster's end that we take for another file's slack. */
const SLACK_ZEROS = 16;
/**
 * Clusters between the last bytes a check proved on either side of a break (or before the end
 * of the file) are taken on trust: they are believed to be where the layout puts them. A small
 * piece of the file hidden in such a stretch (two breaks with no sample start between them)
 * cannot be seen, and the slack that settles where a break lies may be another file's end. So
 * a layout with a trusted stretch longer than TRUSTED is not called complete (it is returned
 * whole, as partial: its bytes are most likely right), and one with a stretch longer than LOOSE
 * is not returned at all. Stretches a neighbour's clusters (or the file's own end slack)
 * explain cost nothing. Measured on random layouts with pieces of 1 to 10 clusters between
 * noise files: TRUSTED = 8 clusters called about 2 in 100 completed files complete wrongly;
 * TRUSTED = 0 none in 600 layouts (it leaves noise-filled formatted cards partial-but-whole).
 */
const TRUSTED_UNITS = 0;
const TRUSTED_BYTES = 64 * 1024;
const LOOSE_UNITS = 64;
const LOOSE_BYTES = 1024 * 1024;

function trustedLimit(unit: number): number {
  return Math.min(TRUSTED_BYTES, TRUSTED_UNITS * unit);
}

/** Most pieces a file may be put together from. */
const MAX_RUNS = 4096;
/** How far before this movie's start other movies are looked for, and how many at most. */
const NEIGHBOUR_SPAN = 64 * 1024 * 1024;
const MAX_NEIGHBOURS = 16;
const MAX_DEPTH = 2;
/** Evidence (in bits: -log2 of the chance to pass on random bytes) a cluster needs to be another movie's. */
const OWNED_BITS = 40;

// Debug tracing for development runs only (stderr, off unless asked for).
const TRACE = !!process.env.PHOTORESCUE_TRACE_REASSEMBLE;
function trace(...a: unknown[]): void {
  if (TRACE) console.error('[reassemble]', ...a);
}

export interface MoviePlan {
  runs: Run[];
  length: number;
  fragments: number;
  /** The longest stretch of bytes taken on trust (see TRUSTED_UNITS). */
  trusted: number;
  /** True when no stretch is longer than can be called complete. */
  sure: boolean;
}

interface Fixed {
  /** File offset of the moov found at the end, its medium position and size. */
  file: number;
  medium: number;
  length: number;
}

/** Another movie near this one: its clusters are not ours. */
interface Other {
  start: number;
  tables: MovieTables;
}

interface Ctx {
  m: CachedMedium;
  g: Geometry;
  t: MovieTables;
  cps: Checkpoint[];
  n: number;
  lookahead: number;
  others: Other[];
  /** The neighbours, looked for the first time they are needed. */
  lazyOthers?: () => Other[];
  /** The longest stretch taken on trust so far (bytes). */
  trusted: number;
  /** Medium offsets of the clusters neighbours put together (and judged complete) hold. */
  placedUnits?: () => Set<number>;
}

function nalHeaderOk(h: Buffer, L: number, hevc: boolean): boolean {
  const b0 = h[L];
  if (b0 & 0x80) return false;
  if (hevc) return ((b0 >> 1) & 0x3f) <= 47 && (h[L + 1] & 7) !== 0;
  const type = b0 & 0x1f;
  return type !== 0 && type <= 23;
}

type FileRead = (fileOffset: number, length: number) => Buffer;

/**
 * Does checkpoint `cp` check out, its bytes read through `read` (file offsets)? Returns -1 when
 * not, else where the bytes it proved to be the file's end: a NAL walk proves the length fields
 * and headers it read (not the coded data between them); an AAC frame only its first byte.
 * `headOnly` looks at the first NAL unit (or the first byte of an AAC frame) only.
 */
function verify(c: Ctx, cp: Checkpoint, read: FileRead, headOnly = false): number {
  const k = c.t.kinds[cp.kind];
  if (k.kind === 'nal') {
    const L = k.lengthSize;
    const hl = k.hevc ? 2 : 1;
    // Cheap first look at the first NAL header before walking the whole sample.
    const h = read(cp.offset, L + hl);
    if (h.length < L + hl) return -1;
    const len = L === 4 ? h.readUInt32BE(0) : L === 2 ? h.readUInt16BE(0) : h[0];
    if (len < hl || L + len > cp.size || !nalHeaderOk(h, L, k.hevc)) return -1;
    if (headOnly) return cp.offset + L + hl;
    let reached = cp.offset;
    const ok = sampleIsNalFramed((p, l) => {
      reached = Math.max(reached, p + l);
      return read(p, l);
    }, cp.offset, cp.size, { lengthSize: L, hevc: k.hevc });
    return ok ? reached : -1;
  }
  if (k.kind === 'aac') {
    const first = read(cp.offset, 1);
    if (first.length < 1 || (first[0] & 0xfe) !== (k.channels === 1 ? 0x00 : 0x20)) return -1;
    if (headOnly) return cp.offset + 1;
    if (cp.size < 2) return -1;
    // A raw data block ends with ID_END (111) and zero bits up to the byte boundary.
    const t = read(cp.offset + cp.size - 2, 2);
    if (t.length < 2) return -1;
    const x = (t[0] << 8) | t[1];
    if (x === 0) return -1;
    let tz = 0;
    while (!((x >> tz) & 1)) tz++;
    return tz <= 7 && ((x >> tz) & 7) === 7 ? cp.offset + 1 : -1;
  }
  return -1;
}

/** Check `cp` with its first byte at medium offset `pos` (its bytes contiguous). */
function verifyAt(c: Ctx, cp: Checkpoint, pos: number, headOnly = false): number {
  return verify(c, cp, (p, l) => c.m.read(pos + (p - cp.offset), l), headOnly);
}

function checkAt(c: Ctx, cp: Checkpoint, pos: number, headOnly = false): boolean {
  return verifyAt(c, cp, pos, headOnly) >= 0;
}

/** Check `cp` laid over two pieces: file bytes before F at run (f0 → m0), from F on at (F → m2). */
function checkSplit(c: Ctx, cp: Checkpoint, f0: number, m0: number, F: number, m2: number): boolean {
  const at = (p: number): number => (p < F ? m0 + (p - f0) : m2 + (p - F));
  const read: FileRead = (p, l) => {
    if (p >= F || p + l <= F) return c.m.read(at(p), l);
    return Buffer.concat([c.m.read(at(p), F - p), c.m.read(m2, p + l - F)]);
  };
  return verify(c, cp, read) >= 0;
}

/** Are all units covering medium [pos, pos+len) allowed? */
function unitsAllowed(c: Ctx, pos: number, len: number): boolean {
  const u = c.g.unit;
  if (len <= 0) return true;
  if (pos < c.g.lo || pos + len > c.g.hi) return false;
  const first = c.g.base + Math.floor((pos - c.g.base) / u) * u;
  for (let o = first; o < pos + len; o += u) if (!c.g.allowed(o)) return false;
  return true;
}

interface Extension {
  /** End of the bytes proved to be the file's in this run: the break is at or after it. */
  sure: number;
  /** Index of the first failing checkpoint, -1 when all passed. */
  bad: number;
  /** Upper bound for the break (file offset, a unit multiple), Infinity when none failed. */
  upper: number;
}

/** Follow a run (file f0 at medium m0) over the checkpoints from index `i`. */
function extend(c: Ctx, f0: number, m0: number, i: number, sure: number): Extension {
  const u = c.g.unit;
  let pendingAac = -1;
  let allowedTo = f0;
  for (; i < c.cps.length; i++) {
    const cp = c.cps[i];
    const end = cp.offset + cp.size;
    const allowed = end <= allowedTo || unitsAllowed(c, m0 + (allowedTo - f0), end - allowedTo);
    const v = allowed ? verifyAt(c, cp, m0 + (cp.offset - f0)) : -1;
    if (v < 0) return { sure, bad: i, upper: Math.floor((end - 1) / u) * u };
    allowedTo = Math.max(allowedTo, end);
    // A passing AAC frame proves little alone (its first byte is right 1 time in 128 by chance);
    // another sample passing after it settles it.
    if (pendingAac >= 0) sure = Math.max(sure, pendingAac);
    pendingAac = -1;
    if (c.t.kinds[cp.kind].kind === 'aac') pendingAac = v;
    else sure = Math.max(sure, v);
  }
  return { sure, bad: -1, upper: Infinity };
}

/** How many checkpoints from `j` pass with checkpoint j at medium `q` (stops at the first failure). */
function score(c: Ctx, j: number, q: number): number {
  const s0 = c.cps[j].offset;
  let n = 0;
  for (let i = j; i < c.cps.length && n < MAX_SCORE; i++) {
    const cp = c.cps[i];
    const pos = q + (cp.offset - s0);
    if (!unitsAllowed(c, pos, cp.size) || !checkAt(c, cp, pos)) break;
    n++;
  }
  return n;
}

/**
 * Settle where the break lies between `lower` and `upper` (file offsets, unit multiples) for a
 * run (f0 → m0) continued by a piece mapping file `anchor` to medium `q`. Every checkpoint
 * between is checked across each possible break. Returns the break or -1 when no single
 * choice is left.
 */
function settleBreak(c: Ctx, f0: number, m0: number, lower: number, upper: number, anchor: number, q: number): number {
  const u = c.g.unit;
  const between = c.cps.filter((cp) => cp.offset + cp.size > lower && cp.offset < anchor);
  const feasible: number[] = [];
  const foreignUnits = new Map<number, boolean>();
  // How far the run may reach: its clusters up to the first one that is not allowed (once per break).
  let runAllowedTo = f0;
  while (runAllowedTo < upper && unitsAllowed(c, m0 + (runAllowedTo - f0), u)) runAllowedTo += u;
  for (let F = lower; F <= upper; F += u) {
    const m2 = q - (anchor - F);
    const m1End = m0 + (F - f0);
    if (m2 < m1End + u || m2 < c.g.lo) continue;
    if (F > runAllowedTo) continue;
    if (q > m2 && !unitsAllowed(c, m2, q - m2)) continue;
    if (!between.every((cp) => checkSplit(c, cp, f0, m0, F, m2))) continue;
    // The clusters the layout says are ours, where our data is the inside of a sample, must not
    // begin or end another file, nor hold another nearby movie's samples (the other clip of a
    // pair written at once).
    let foreign = false;
    for (let x = lower; x < Math.floor(anchor / u) * u && !foreign; x += u) {
      const at = x < F ? m0 + (x - f0) : m2 + (x - F);
      let f = foreignUnits.get(at);
      if (f === undefined) {
        const b = c.m.read(at, u);
        f = startsAnotherFile(b) || endsAnotherFile(b) || ownedByOther(c, at);
        foreignUnits.set(at, f);
      }
      foreign = f && !ownStartsIn(c, x, u);
    }
    if (!foreign) feasible.push(F);
  }
  trace('feasible breaks', feasible);
  if (feasible.length === 1) return feasible[0];
  if (feasible.length === 0) return -1;
  // Clusters a neighbouring movie, itself put together, holds are not ours.
  let left = feasible;
  const placed = c.placedUnits?.();
  if (placed && placed.size > 0) {
    left = feasible.filter((F) => {
      const m2 = q - (anchor - F);
      for (let x = lower; x < Math.floor(anchor / u) * u; x += u) if (placed.has(x < F ? m0 + (x - f0) : m2 + (x - F))) return false;
      return true;
    });
    trace('not a neighbour\'s', left);
    if (left.length === 1) return left[0];
    if (left.length === 0) return -1;
  }
  // The piece most likely starts right after another file's last cluster, which ends in slack.
  const slack = left.filter((F) => trailingZeros(c.m, q - (anchor - F) - u, u) >= SLACK_ZEROS);
  trace('slack', slack);
  return slack.length === 1 ? slack[0] : -1;
}

/**
 * Is the cluster at medium `unit` another nearby movie's? Its samples must check out there, in a
 * row, at the offsets its tables give (relative to the cluster), with enough evidence.
 */
function ownedByOther(c: Ctx, unit: number): boolean {
  const u = c.g.unit;
  for (const o of c.lazyOthers ? c.lazyOthers() : c.others) {
    const oc: Ctx = { ...c, t: o.tables, cps: o.tables.checkpoints };
    const cps = oc.cps;
    // Its file offsets that may lie here: pieces only ever move forward from the start.
    const hiX = unit + u - o.start;
    const loX = unit - o.start - c.lookahead;
    if (hiX <= 0) continue;
    let i = 0;
    let lo = 0;
    let hi = cps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cps[mid].offset < loX) lo = mid + 1;
      else hi = mid;
    }
    for (i = lo; i < cps.length && cps[i].offset < hiX; i++) {
      const pos = unit + (cps[i].offset % u);
      let bits = 0;
      for (let k = i; k < cps.length; k++) {
        const cp = cps[k];
        const at = pos + (cp.offset - cps[i].offset);
        if (at >= unit + u) break;
        const whole = at + cp.size <= unit + u;
        if (!checkAt(oc, cp, at, !whole)) break;
        const kind = oc.t.kinds[cp.kind].kind;
        bits += kind === 'nal' ? 20 : whole ? 10 : 7;
        if (bits >= OWNED_BITS) return true;
      }
    }
  }
  return false;
}

/**
 * Take `bytes` on trust unless `explained` says they need none. False when too many to use.
 */
function trust(c: Ctx, bytes: number, explained: () => boolean): boolean {
  if (bytes <= trustedLimit(c.g.unit)) return true;
  if (explained()) return true;
  if (bytes > Math.min(LOOSE_BYTES, LOOSE_UNITS * c.g.unit)) return false;
  c.trusted = Math.max(c.trusted, bytes);
  return true;
}

/**
 * Is the gap [from, to) between two pieces made exactly of clusters a neighbouring movie (put
 * together and judged complete) holds? Then no piece of ours can hide in it, and the clusters
 * before the break that no check proved are ours after all.
 */
function gapExplained(c: Ctx, from: number, to: number): boolean {
  const placed = c.placedUnits?.();
  if (!placed || placed.size === 0 || to <= from) return false;
  for (let x = from; x < to; x += c.g.unit) if (!placed.has(x)) return false;
  return true;
}

/** Does the cluster begin a photo or video (a file of its own, not the inside of ours)? */
function startsAnotherFile(b: Buffer): boolean {
  return probeAny(b.subarray(0, 4096), ALL_FORMATS) !== null;
}

/** Does the cluster end in slack (zeros after another file's last byte)? Coded video does not. */
function endsAnotherFile(b: Buffer): boolean {
  let n = 0;
  for (let i = b.length - 1; i >= 0 && b[i] === 0; i--) n++;
  return n >= SLACK_ZEROS;
}

/** Does any of our own samples start in file bytes [x, x+len)? */
function ownStartsIn(c: Ctx, x: number, len: number): boolean {
  let lo = 0;
  let hi = c.cps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.cps[mid].offset < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < c.cps.length && c.cps[lo].offset < x + len;
}

/** Find where the file goes on after a break; null when nowhere (or nowhere unambiguous). */
function nextPiece(c: Ctx, f0: number, m0: number, ext: Extension, fixed: Fixed | null): { F: number; m2: number } | null {
  const u = c.g.unit;
  const lower = Math.ceil(ext.sure / u) * u;
  let tried = 0;
  for (let j = ext.bad; j < c.cps.length && tried < ANCHORS; j++) {
    const anchor = c.cps[j].offset;
    if (anchor < lower) continue;
    tried++;
    const upper = Math.min(ext.upper, Math.floor(anchor / u) * u);
    if (upper < lower) continue;
    const p1 = m0 + (anchor - f0);
    let best = -1;
    let bestScore = 0;
    let rivals = 0;
    // When the moov at the end is known, the piece holding it is a candidate whatever the distance.
    const fixedQ = fixed ? fixed.medium - (fixed.file - anchor) : -1;
    const seen = new Set<number>();
    const consider = (q: number): void => {
      if (seen.has(q)) return;
      seen.add(q);
      const s = score(c, j, q);
      const reachesEnd = j + s >= c.cps.length;
      if (s < MIN_SCORE && !(reachesEnd && s >= 1)) return;
      if (s > bestScore) {
        if (bestScore > 0) rivals++;
        best = q;
        bestScore = s;
      } else rivals++;
    };
    for (let q = p1 + u; q < Math.min(c.g.hi, p1 + c.lookahead); q += u) {
      // A cheap look at the first byte(s) before scoring.
      if (!checkAt(c, c.cps[j], q, true)) continue;
      consider(q);
    }
    if (fixedQ > p1 && (fixedQ - p1) % u === 0 && checkAt(c, c.cps[j], fixedQ, true)) consider(fixedQ);
    trace('anchor', j, anchor, 'window', lower, upper, 'best', best, bestScore, 'rivals', rivals);
    if (best < 0) continue;
    if (rivals > 0) return null; // two places look like the rest of this file
    const F = settleBreak(c, f0, m0, lower, upper, anchor, best);
    trace('break at', F, 'D', (F - lower) / u, 'P2', (Math.floor(anchor / u) * u - F) / u);
    if (F < 0) return null;
    const m2 = best - (anchor - F);
    // Every cluster between the proved bytes on either side of the break is taken on trust.
    if (!trust(c, Math.floor(anchor / u) * u - lower, () => gapExplained(c, m0 + (F - f0), m2))) return null;
    return { F, m2 };
  }
  return null;
}

/** Is medium offset `end` a file's end: a non-zero byte before it, only zeros after it in its unit? */
function endsInSlack(c: Ctx, end: number): boolean {
  const u = c.g.unit;
  const inUnit = (end - c.g.base) % u;
  if (inUnit === 0) return false;
  const b = c.m.read(end - 1, u - inUnit + 1);
  if (b.length !== u - inUnit + 1 || b[0] === 0) return false;
  for (let i = 1; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** The moov at the end of an mdat-first file: search the following clusters for it. */
function findTailMoov(m: CachedMedium, g: Geometry, start: number, moovAt: number, dataFrom: number, lookahead: number, headCheck: (t: MovieTables) => number, type: 'moov' | 'meta' = 'moov'): { fixed: Fixed; tables: MovieTables } | null {
  const u = g.unit;
  const want = Buffer.from(type, 'latin1');
  const first = start + moovAt;
  let found: { fixed: Fixed; tables: MovieTables; score: number } | null = null;
  let rivals = 0;
  for (let p = first; p < Math.min(g.hi, first + lookahead); p += u) {
    const h = m.read(p, 8);
    if (h.length < 8 || !h.subarray(4, 8).equals(want)) continue;
    const size = h.readUInt32BE(0);
    if (size < 16 || size > MAX_MOOV) continue;
    const box = Buffer.from(m.read(p, size));
    const t = type === 'moov' ? readMovieTables(box) : readItemTables(box);
    if (!t || t.dataStart < dataFrom || t.dataEnd > moovAt || t.checkpoints.length === 0) continue;
    const s = headCheck(t);
    if (s <= 0) continue;
    if (found && s <= found.score) {
      rivals++;
      continue;
    }
    if (found) rivals++;
    found = { fixed: { file: moovAt, medium: p, length: size }, tables: t, score: s };
  }
  if (!found || rivals > 0) return null;
  return found;
}

/** Boxes a writer puts after a file's index; anything else there is not this file. */
const TRAILERS = new Set(['free', 'skip', 'udta', 'uuid', 'sefd', 'wide', 'junk', 'PICT', 'pnot']);

/** Bytes of trailer boxes starting at medium offset `at` (at most 16 boxes, 16 MiB). */
function trailingBoxes(m: CachedMedium, at: number, hi: number): number {
  let pos = at;
  for (let k = 0; k < 16; k++) {
    const h = m.read(pos, 8);
    if (h.length < 8) break;
    const size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    if (!TRAILERS.has(type) || size < 8 || pos + size > hi || pos + size - at > 16 * 1024 * 1024) break;
    pos += size;
  }
  return pos - at;
}

interface MovieIndex {
  tables: MovieTables;
  fixed: Fixed | null;
  /** The file's length by its boxes. */
  n: number;
  /** Bytes from the start the structure itself vouches for (ftyp, moov, mdat header). */
  sure: number;
}

/** The sample tables of the movie starting at `start`: from its moov, first or found at the end. */
function movieIndex(m: CachedMedium, g: Geometry, start: number, lookahead: number): MovieIndex | null {
  const key = `movie@${start}/${lookahead}`;
  if (m.memo.has(key)) return m.memo.get(key) as MovieIndex | null;
  const idx = readMovieIndex(m, g, start, lookahead);
  m.memo.set(key, idx);
  return idx;
}

function readMovieIndex(m: CachedMedium, g: Geometry, start: number, lookahead: number): MovieIndex | null {
  const head: ByteReader = sliceReader(m.medium, start);
  const boxes = boxLayout(head);
  if (boxes.length < 2 || boxes[0].type !== 'ftyp') return null;
  const mdat = boxes.find((b) => b.type === 'mdat');
  // A HEIF image's item index ('meta' with 'iloc') plays the moov's part.
  const meta = boxes.find((b) => b.type === 'meta' && (!mdat || b.offset < mdat.offset));
  const moovFirst = boxes.find((b) => b.type === 'moov' && (!mdat || b.offset < mdat.offset)) ?? (boxes.some((b) => b.type === 'moov') ? undefined : meta);
  if (!mdat || mdat.size <= 16) return null;
  const mdatEnd = mdat.offset + mdat.size;
  let tables: MovieTables | null = null;
  let fixed: Fixed | null = null;
  let n: number;
  if (moovFirst) {
    if (moovFirst.size > MAX_MOOV) return null;
    const buf = Buffer.from(m.read(start + moovFirst.offset, moovFirst.size));
    tables = moovFirst.type === 'meta' ? readItemTables(buf) : readMovieTables(buf);
    n = mdatEnd;
  } else {
    const base: Ctx = { m, g, t: null as unknown as MovieTables, cps: [], n: mdatEnd, lookahead, others: [], trusted: 0 };
    // The right moov's first samples check out in the first piece.
    const headCheck = (t: MovieTables): number => {
      const c = { ...base, t, cps: t.checkpoints };
      let k = 0;
      while (k < c.cps.length && k < MAX_SCORE && checkAt(c, c.cps[k], start + c.cps[k].offset, true)) k++;
      return k;
    };
    // A HEIF image with its media data first keeps its item index in a 'meta' after it.
    const heif = classifyFtyp(m.read(start, 256))?.format === 'heic';
    const tail = findTailMoov(m, g, start, mdatEnd, mdat.offset + 8, lookahead + mdatEnd, headCheck, heif ? 'meta' : 'moov');
    if (!tail) return null;
    tables = tail.tables;
    fixed = tail.fixed;
    // Boxes cameras add after the index (Samsung's 'sefd', padding) lie right behind it.
    const more = trailingBoxes(m, tail.fixed.medium + tail.fixed.length, g.hi);
    fixed = { ...tail.fixed, length: tail.fixed.length + more };
    n = mdatEnd + fixed.length;
  }
  if (!tables || tables.checkpoints.length === 0 || tables.dataEnd > mdatEnd) return null;
  const sure = moovFirst ? Math.max(moovFirst.offset + moovFirst.size, mdat.offset + 8) : mdat.offset + 8;
  return { tables, fixed, n, sure };
}

/** Other movies that start near this one (a clip written at the same time, a neighbour). */
function neighbours(m: CachedMedium, g: Geometry, start: number, lookahead: number): Other[] {
  const key = `near@${start}/${lookahead}`;
  if (!m.memo.has(key)) m.memo.set(key, findNeighbours(m, g, start, lookahead));
  return m.memo.get(key) as Other[];
}

function findNeighbours(m: CachedMedium, g: Geometry, start: number, lookahead: number): Other[] {
  const u = g.unit;
  const out: Other[] = [];
  const lo = Math.max(g.lo, start - NEIGHBOUR_SPAN);
  const hi = Math.min(g.hi, start + lookahead);
  for (let p = lo; p < hi && out.length < MAX_NEIGHBOURS; p += u) {
    if (p === start) continue;
    const h = m.read(p, 16);
    if (h.length < 16 || h[4] !== 0x66 || h[5] !== 0x74 || h[6] !== 0x79 || h[7] !== 0x70 || !parseFtyp(h)) continue;
    const idx = movieIndex(m, g, p, lookahead);
    if (idx) out.push({ start: p, tables: idx.tables });
  }
  return out;
}

/**
 * Place the pieces of the movie that starts at medium offset `start`. `size` is the directory
 * entry's size when known. Returns the runs in file order, or null.
 */
export function placeMovie(m: CachedMedium, g: Geometry, start: number, size?: number, verify?: (runs: Run[], n: number) => boolean, depth = 0): MoviePlan | null {
  const u = g.unit;
  const lookahead0 = Math.min(256 << 20, Math.max(16 << 20, 2 * (size ?? 0)));
  const idx = movieIndex(m, g, start, lookahead0);
  if (!idx) return null;
  const { tables, fixed, n } = idx;
  const lookahead = Math.min(256 << 20, Math.max(lookahead0, 2 * n));
  trace('movie', { n, fixed, cps: tables.checkpoints.length, dataEnd: tables.dataEnd });
  if (size !== undefined && size !== n) return null;
  const c: Ctx = { m, g, t: tables, cps: tables.checkpoints, n, lookahead, others: [], trusted: 0 };
  let othersRead = false;
  c.lazyOthers = () => {
    if (!othersRead) {
      othersRead = true;
      c.others = neighbours(m, g, start, lookahead);
      trace('neighbours', c.others.map((o) => o.start));
    }
    return c.others;
  };
  // Neighbours put together first settle breaks whose gap they fill exactly (a pair of clips
  // written at once: each fills the other's gaps). Two levels: a neighbour may lean on us.
  if (depth < MAX_DEPTH && verify) {
    let placed: Set<number> | null = null;
    c.placedUnits = () => {
      if (placed) return placed;
      placed = new Set();
      for (const o of c.lazyOthers!()) {
        const plan = placeMovie(m, g, o.start, undefined, verify, depth + 1);
        if (!plan || !verify(plan.runs, plan.length)) continue;
        for (const r of plan.runs) for (let x = Math.floor((r.medium - g.base) / u) * u + g.base; x < r.medium + r.length; x += u) placed.add(x);
      }
      trace('placed neighbour clusters', placed.size);
      return placed;
    };
  }

  const runs: Run[] = [];
  let f0 = 0;
  let m0 = start;
  let i = 0;
  let sure = idx.sure;
  while (runs.length < MAX_RUNS) {
    const ext = extend(c, f0, m0, i, sure);
    trace('run', f0, m0, 'ext', ext);
    if (ext.bad < 0) {
      // Every sample checked out: the run must reach the end of the file.
      if (fixed) {
        if (m0 + (fixed.file - f0) === fixed.medium && unitsAllowed(c, m0, n - f0)) {
          runs.push({ file: f0, medium: m0, length: n - f0 });
          break;
        }
        // The moov's piece begins somewhere after the last sample.
        const lower = Math.ceil(ext.sure / u) * u;
        const upper = Math.floor(fixed.file / u) * u;
        if (fixed.medium % u !== (m0 + (fixed.file - f0)) % u) return null;
        const F = settleBreak(c, f0, m0, lower, upper, fixed.file, fixed.medium);
        if (F < 0) return null;
        const m2 = fixed.medium - (fixed.file - F);
        if (!trust(c, F - lower, () => gapExplained(c, m0 + (F - f0), m2))) return null;
        runs.push({ file: f0, medium: m0, length: F - f0 });
        runs.push({ file: F, medium: fixed.medium - (fixed.file - F), length: n - F });
        break;
      }
      // No moov after the data: the unchecked tail must not reach into another cluster.
      // No moov after the data: what follows the last proved byte is unchecked. It is believed
      // to run on in place only within the same cluster, or when the file's last cluster is
      // there: its last byte (the end of coded data) non-zero and zeros after it (slack).
      trace('tail', ext.sure, n);
      if (!unitsAllowed(c, m0, n - f0)) return null;
      const tail = Math.ceil(n / u) * u - Math.ceil(ext.sure / u) * u;
      if (!trust(c, tail, () => endsInSlack(c, m0 + (n - f0)))) return null;
      runs.push({ file: f0, medium: m0, length: n - f0 });
      break;
    }
    const next = nextPiece(c, f0, m0, ext, fixed);
    if (!next) return null;
    runs.push({ file: f0, medium: m0, length: next.F - f0 });
    f0 = next.F;
    m0 = next.m2;
    i = c.cps.findIndex((cp) => cp.offset >= f0);
    if (i < 0) i = c.cps.length;
    sure = f0;
  }
  if (runs.length >= MAX_RUNS) return null;
  return { runs, length: n, fragments: runs.length, trusted: c.trusted, sure: c.trusted <= trustedLimit(u) };
}
