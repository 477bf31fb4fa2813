// Putting a fragmented MP4/MOV back together from its sample tables.
//
// The moov says, for every sample, where in the file it lies and how long it is; video samples
// are NAL units behind length fields that must tile the sample exactly, and raw AAC frames begin
// with a channel element and end with the END element. So, walking the file from its start, we
// know where each run of clusters stops being the file (a sample fails its check), and we can
// find where the file goes on: the medium position, among the following free clusters, where
// the next samples check out again. Where in between the break lies (the samples there are too
// big to say) is settled by the clusters themselves: only one choice may be left, or exactly one
// must put the piece right after a cluster ending in slack (zeros after another file's end).
// Anything ambiguous gives up: a wrong file is never called complete.
import type { ByteReader } from '../core/types.ts';
import { sliceReader } from '../core/readers.ts';
import { boxLayout } from '../carver/formats/isobmff.ts';
import { sampleIsNalFramed } from '../carver/formats/isobmff-nal.ts';
import { type CachedMedium, type Geometry, type Run, trailingZeros } from './reassemble-medium.ts';
import { type Checkpoint, type MovieTables, readMovieTables } from './reassemble-tables.ts';

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
 * Most bytes of a piece we take on trust: clusters between the last byte a check proved and a
 * break (or the end of the file) are believed to run on in place. A piece of the file hidden
 * in such a stretch (two breaks with no sample start between them) cannot be seen, so the
 * stretch is kept short; longer ones make the file stay partial.
 */
const MAX_UNPROVEN = 64 * 1024;
const MAX_UNPROVEN_UNITS = 16;
function unprovenOk(bytes: number, unit: number): boolean {
  return bytes <= Math.max(unit, Math.min(MAX_UNPROVEN, MAX_UNPROVEN_UNITS * unit));
}

/** Most pieces a file may be put together from. */
const MAX_RUNS = 4096;

// Debug tracing for development runs only (stderr, off unless asked for).
const TRACE = !!process.env.PHOTORESCUE_TRACE_REASSEMBLE;
function trace(...a: unknown[]): void {
  if (TRACE) console.error('[reassemble]', ...a);
}

export interface MoviePlan {
  runs: Run[];
  length: number;
  fragments: number;
}

interface Fixed {
  /** File offset of the moov found at the end, its medium position and size. */
  file: number;
  medium: number;
  length: number;
}

interface Ctx {
  m: CachedMedium;
  g: Geometry;
  t: MovieTables;
  cps: Checkpoint[];
  n: number;
  lookahead: number;
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
  for (let F = lower; F <= upper; F += u) {
    const m2 = q - (anchor - F);
    const m1End = m0 + (F - f0);
    if (m2 < m1End + u || m2 < c.g.lo) continue;
    if (F > f0 && !unitsAllowed(c, m0, F - f0)) continue;
    if (q > m2 && !unitsAllowed(c, m2, q - m2)) continue;
    if (between.every((cp) => checkSplit(c, cp, f0, m0, F, m2))) feasible.push(F);
  }
  trace('feasible breaks', feasible);
  if (feasible.length === 1) return feasible[0];
  if (feasible.length === 0) return -1;
  // The piece most likely starts right after another file's last cluster, which ends in slack.
  const slack = feasible.filter((F) => trailingZeros(c.m, q - (anchor - F) - u, u) >= SLACK_ZEROS);
  trace('slack', slack);
  return slack.length === 1 ? slack[0] : -1;
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
    if (F < 0 || !unprovenOk(F - lower, u)) return null;
    return { F, m2: best - (anchor - F) };
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
function findTailMoov(m: CachedMedium, g: Geometry, start: number, moovAt: number, dataFrom: number, lookahead: number, headCheck: (t: MovieTables) => number): { fixed: Fixed; tables: MovieTables } | null {
  const u = g.unit;
  const first = start + moovAt;
  let found: { fixed: Fixed; tables: MovieTables; score: number } | null = null;
  let rivals = 0;
  for (let p = first; p < Math.min(g.hi, first + lookahead); p += u) {
    const h = m.read(p, 8);
    if (h.length < 8 || h[4] !== 0x6d || h[5] !== 0x6f || h[6] !== 0x6f || h[7] !== 0x76) continue; // 'moov'
    const size = h.readUInt32BE(0);
    if (size < 16 || size > MAX_MOOV) continue;
    const t = readMovieTables(Buffer.from(m.read(p, size)));
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

/**
 * Place the pieces of the movie that starts at medium offset `start`. `size` is the directory
 * entry's size when known. Returns the runs in file order, or null.
 */
export function placeMovie(m: CachedMedium, g: Geometry, start: number, size?: number): MoviePlan | null {
  const u = g.unit;
  const head: ByteReader = sliceReader(m.medium, start);
  const boxes = boxLayout(head);
  if (boxes.length < 2 || boxes[0].type !== 'ftyp') return null;
  const mdat = boxes.find((b) => b.type === 'mdat');
  const moovFirst = boxes.find((b) => b.type === 'moov' && (!mdat || b.offset < mdat.offset));
  if (!mdat || mdat.size <= 16) return null;
  const mdatEnd = mdat.offset + mdat.size;
  let tables: MovieTables | null = null;
  let fixed: Fixed | null = null;
  let n: number;
  const lookahead = Math.min(256 << 20, Math.max(16 << 20, 2 * (size ?? mdatEnd)));
  if (moovFirst) {
    if (moovFirst.size > MAX_MOOV) return null;
    tables = readMovieTables(Buffer.from(m.read(start + moovFirst.offset, moovFirst.size)));
    n = mdatEnd;
  } else {
    const base: Ctx = { m, g, t: null as unknown as MovieTables, cps: [], n: mdatEnd, lookahead };
    // The right moov's first samples check out in the first piece.
    const headCheck = (t: MovieTables): number => {
      const c = { ...base, t, cps: t.checkpoints };
      let k = 0;
      while (k < c.cps.length && k < MAX_SCORE && checkAt(c, c.cps[k], start + c.cps[k].offset, true)) k++;
      return k;
    };
    const tail = findTailMoov(m, g, start, mdatEnd, mdat.offset + 8, lookahead + mdatEnd, headCheck);
    if (!tail) return null;
    tables = tail.tables;
    fixed = tail.fixed;
    n = mdatEnd + tail.fixed.length;
  }
  trace('movie', { moovFirst: !!moovFirst, mdatEnd, n, fixed, cps: tables?.checkpoints.length, dataEnd: tables?.dataEnd });
  if (!tables || tables.checkpoints.length === 0 || tables.dataEnd > mdatEnd) return null;
  if (size !== undefined && size !== n) return null;
  const c: Ctx = { m, g, t: tables, cps: tables.checkpoints, n, lookahead };

  const runs: Run[] = [];
  let f0 = 0;
  let m0 = start;
  let i = 0;
  // Bytes from the start the structure itself vouches for (ftyp, moov, mdat header).
  let sure = moovFirst ? Math.max(moovFirst.offset + moovFirst.size, mdat.offset + 8) : mdat.offset + 8;
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
        if (F < 0 || !unprovenOk(F - lower, u)) return null;
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
      if (!unprovenOk(tail, u) && !endsInSlack(c, m0 + (n - f0))) return null;
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
  return { runs, length: n, fragments: runs.length };
}
