// Bifragment gap carving for JPEG (Garfinkel 2007): a photo split in two with other data between.
// The Huffman decoder says where the first piece stops making sense; the break lies on a cluster
// boundary a little before that, and the rest starts on a cluster boundary further on. Each
// (break, continuation) pair is decoded from the start; it is a candidate only if decoding runs
// to a clean EOI with every MCU there (and, when a directory entry gives the size, the EOI falls
// exactly at that size). Exactly one pair must pass, or the file stays partial.
import { extentReader, sliceReader } from '../core/readers.ts';
import { JPEG_MAX_SIZE, jpegDecodeUntilFailure } from '../carver/formats/jpeg.ts';
import type { CachedMedium, Geometry, Run } from './reassemble-medium.ts';

/** How far before the point where decoding failed the break may lie. */
const BACK_BYTES = 8 * 1024;
/** How far after the first piece the second may start. */
const LOOKAHEAD_BYTES = 16 * 1024 * 1024;
/** Most continuation clusters tried, and most full decodes, per photo. */
const MAX_CANDIDATES = 4096;
const MAX_DECODES = 48;

class TooMuch extends Error {}

/** A decoded byte costs about as much time as this many bytes read (counted in the budget). */
const DECODE_COST = 8;
/** Most bytes decoded over all tries (each try decodes from the start). */
const MAX_DECODED = 512 * 1024 * 1024;

/**
 * Could this cluster be JPEG entropy-coded data? An FF byte there is followed only by 00
 * (stuffing), a restart marker, EOI or another FF; random and most other data fail at once.
 */
function entropyPlausible(b: Buffer): boolean {
  let zeros = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    if (x === 0) zeros++;
    if (x !== 0xff || i + 1 >= b.length) continue;
    const y = b[i + 1];
    if (y !== 0x00 && y !== 0xff && y !== 0xd9 && (y < 0xd0 || y > 0xd7)) return false;
  }
  return zeros < b.length;
}

function allowedSpan(g: Geometry, pos: number, len: number): boolean {
  if (pos < g.lo || pos + len > g.hi) return false;
  for (let o = pos; o < pos + len; o += g.unit) if (!g.allowed(o)) return false;
  return true;
}

export function placeJpeg(m: CachedMedium, g: Geometry, start: number, _good: number, size?: number): { runs: Run[] } | null {
  const u = g.unit;
  const limit = Math.min(JPEG_MAX_SIZE, size ?? JPEG_MAX_SIZE, g.hi - start);
  const first = jpegDecodeUntilFailure(sliceReader(m.medium, start, limit));
  m.charge(DECODE_COST * (first.failAt ?? first.goodLength));
  if (first.ok || first.ranOut || first.failAt === undefined) return null;
  const failAt = first.failAt;
  const fMax = Math.floor(failAt / u) * u;
  const fMin = Math.max(u, fMax - Math.max(u, Math.floor(BACK_BYTES / u) * u));
  if (fMax < fMin) return null;
  const breaks: number[] = [];
  for (let F = fMax; F >= fMin; F -= u) if (allowedSpan(g, start, F)) breaks.push(F);
  if (breaks.length === 0) return null;

  // Clusters after the first piece that may hold the rest.
  const from = start + fMin + u;
  const to = Math.min(g.hi, start + fMax + LOOKAHEAD_BYTES);
  const pairs: { F: number; m2: number }[] = [];
  for (let c = from; c < to && pairs.length < MAX_CANDIDATES; c += u) {
    if (!g.allowed(c) || !entropyPlausible(m.read(c, u))) continue;
    for (const F of breaks) {
      if (c < start + F + u) continue; // the gap holds at least one cluster
      if (size !== undefined) {
        // The EOI must end the file exactly at the size the entry gives.
        const eoi = c + (size - 2 - F);
        const b = m.read(eoi, 2);
        if (b.length < 2 || b[0] !== 0xff || b[1] !== 0xd9 || !allowedSpan(g, c, size - F)) continue;
      }
      pairs.push({ F, m2: c });
    }
  }
  // Nearest continuation first (Garfinkel): the first pair that decodes wins, unless a
  // neighbouring pair (the break a cluster earlier or later) decodes too.
  pairs.sort((x, y) => x.m2 - y.m2 || y.F - x.F);
  let decodes = 0;
  let decoded = 0;
  const tryPair = (F: number, m2: number): number => {
    if (decodes >= MAX_DECODES || decoded >= MAX_DECODED) throw new TooMuch();
    if (m2 < start + F + u || !g.allowed(m2)) return -1;
    const tail = size !== undefined ? size - F : Math.min(JPEG_MAX_SIZE - F, g.hi - m2);
    const file = extentReader(m.medium, [
      { offset: start, length: F },
      { offset: m2, length: tail },
    ]);
    decodes++;
    const r = jpegDecodeUntilFailure(file);
    decoded += r.failAt ?? r.goodLength;
    m.charge(DECODE_COST * (r.failAt ?? r.goodLength));
    if (!r.ok || r.end === undefined) return -1;
    if (size !== undefined && r.end !== size) return -1;
    if (!allowedSpan(g, m2, r.end - F)) return -1;
    return r.end;
  };
  let found: { F: number; m2: number; end: number } | null = null;
  try {
    for (const p of pairs) {
      const end = tryPair(p.F, p.m2);
      if (end < 0) continue;
      found = { ...p, end };
      break;
    }
    if (!found) return null;
    for (const F of breaks) {
      if (F === found.F) continue;
      if (tryPair(F, found.m2 + (F - found.F)) >= 0 || tryPair(F, found.m2) >= 0) return null;
    }
  } catch (e) {
    if (e instanceof TooMuch) return null;
    throw e;
  }
  if (!found) return null;
  return {
    runs: [
      { file: 0, medium: start, length: found.F },
      { file: found.F, medium: found.m2, length: found.end - found.F },
    ],
  };
}
