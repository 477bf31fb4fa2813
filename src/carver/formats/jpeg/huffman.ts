// Huffman tables of a JPEG (DHT), turned into 16-bit lookup tables for a decode-only walk.
//
// The scan walker never reconstructs pixels: it only needs to know how many bits each
// symbol takes and whether the bitstream is still a legal JPEG stream. So every table is
// looked up with the next 16 bits of the stream in one step (a JPEG code is at most 16
// bits), and for sequential AC use a second table also folds in the magnitude bits that
// follow the code, so most coefficients cost one lookup and one subtraction.

/** Bits looked up at once by the fast tables: small enough to stay in the L1 cache. */
export const FAST_BITS = 11;
export const FAST_MASK = (1 << FAST_BITS) - 1;

/** lut entry: (symbol << 8) | codeLength; 0 means "no code starts with these bits". */
export interface HuffTable {
  readonly lut: Uint16Array;
  /** Like lut but indexed by the next FAST_BITS bits; 0 also for codes longer than that. */
  readonly fast: Int32Array;
  /**
   * Sequential AC fast path (FAST_BITS index), built on first use: (advance << 5) | totalBits,
   * where totalBits is code length + magnitude bits (≤ FAST_BITS) and advance is run + 1
   * (16 for ZRL, 0 for EOB). 0 means "use the slow path" (long code+magnitude, or a
   * symbol that is illegal for sequential AC).
   */
  seqAc: Int32Array | null;
  /** Largest magnitude category the fast table was built for. */
  seqAcMaxCat: number;
  /** Two sequential AC symbols per lookup (see seqAcPairTable); built on first use. */
  seqAcPair: Int32Array | null;
  /** Progressive AC first scans (see progAcTable); built on first use. */
  progAc: Int32Array | null;
  progAcMaxCat: number;
}

/** Bits looked up by the pair table. */
export const PAIR_BITS = 13;
export const PAIR_MASK = (1 << PAIR_BITS) - 1;
/** Pair-table flag: the (first or second) symbol was EOB, the block ends. */
export const PAIR_EOB = 1 << 11;

const LUT_SIZE = 1 << 16;

// Cameras reuse the same few tables (often the ones from Annex K), so built tables are
// kept by their DHT bytes; a carver run measures thousands of files.
const cache = new Map<string, HuffTable>();
const CACHE_MAX = 16;

/**
 * Build a table from the 16 code-length counts and the symbols of one DHT table.
 * Returns null when the counts describe an impossible code (more codes of a length than
 * the code space leaves), which a real encoder never writes.
 */
export function buildHuffman(counts: Uint8Array, symbols: Uint8Array): HuffTable | null {
  const key = Buffer.from(counts).toString('latin1') + Buffer.from(symbols).toString('latin1');
  const hit = cache.get(key);
  if (hit) return hit;
  const lut = new Uint16Array(LUT_SIZE);
  let code = 0;
  let si = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    for (let i = 0; i < n; i++) {
      if (code >= 1 << len) return null;
      const shift = 16 - len;
      const from = code << shift;
      lut.fill((symbols[si] << 8) | len, from, from + (1 << shift));
      si++;
      code++;
    }
    code <<= 1;
  }
  const fast = new Int32Array(1 << FAST_BITS);
  for (let i = 0; i < fast.length; i++) {
    const e = lut[i << (16 - FAST_BITS)];
    if ((e & 31) <= FAST_BITS) fast[i] = e;
  }
  const table: HuffTable = { lut, fast, seqAc: null, seqAcMaxCat: 0, seqAcPair: null, progAc: null, progAcMaxCat: 0 };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, table);
  return table;
}

/**
 * The fast sequential-AC table for `t`: symbols with a magnitude category above `maxCat`
 * (10 for 8-bit samples, 14 for 12-bit) or a zero size with a run other than 0 (EOB)
 * and 15 (ZRL) are illegal, and get 0 here; the slow path then rejects them.
 */
export function seqAcTable(t: HuffTable, maxCat: number): Int32Array {
  if (t.seqAc && t.seqAcMaxCat === maxCat) return t.seqAc;
  const fast = new Int32Array(1 << FAST_BITS);
  const lut = t.fast;
  let i = 0;
  while (i < fast.length) {
    const e = lut[i];
    if (e === 0) {
      i++;
      continue;
    }
    const len = e & 31;
    const span = 1 << (FAST_BITS - len);
    const rs = e >>> 8;
    const r = rs >> 4;
    const s = rs & 15;
    if (s === 0) {
      if (r === 0) fast.fill(len, i, i + span);
      else if (r === 15) fast.fill((16 << 5) | len, i, i + span);
    } else if (s <= maxCat && len + s <= FAST_BITS) {
      fast.fill(((r + 1) << 5) | (len + s), i, i + span);
    }
    i += span;
  }
  t.seqAc = fast;
  t.seqAcMaxCat = maxCat;
  t.seqAcPair = null;
  return fast;
}

/** One sequential AC symbol at the top of `bits` (PAIR_BITS wide): [usedBits, advance, eob], or null. */
function oneAc(lut: Uint16Array, bits: number, avail: number, maxCat: number): [number, number, boolean] | null {
  const e = lut[(bits << (16 - PAIR_BITS)) & 0xffff];
  if (e === 0) return null;
  const len = e & 31;
  const rs = e >>> 8;
  const s = rs & 15;
  if (s === 0) {
    if (len > avail) return null;
    if (rs === 0) return [len, 0, true];
    if (rs === 0xf0) return [len, 16, false];
    return null;
  }
  if (s > maxCat || len + s > avail) return null;
  return [len + s, (rs >> 4) + 1, false];
}

/**
 * Sequential AC, two symbols per lookup of PAIR_BITS bits: (first << 12) | (advance << 5) |
 * usedBits, with PAIR_EOB set when a symbol was EOB; advance is for both symbols, first for
 * the first one alone. The decoder uses an entry only while k + first < 64: then the block
 * goes on after the first symbol and the second one belongs to it too.
 * 0: the first symbol does not fit (or is illegal); use the single tables.
 */
export function seqAcPairTable(t: HuffTable, maxCat: number): Int32Array {
  seqAcTable(t, maxCat);
  if (t.seqAcPair) return t.seqAcPair;
  const pair = new Int32Array(1 << PAIR_BITS);
  for (let i = 0; i < pair.length; i++) {
    const a = oneAc(t.lut, i, PAIR_BITS, maxCat);
    if (!a) continue;
    if (a[2]) {
      pair[i] = PAIR_EOB | a[0];
      continue;
    }
    const b = oneAc(t.lut, (i << a[0]) & PAIR_MASK, PAIR_BITS - a[0], maxCat);
    if (!b) pair[i] = (a[1] << 12) | (a[1] << 5) | a[0];
    else pair[i] = (a[1] << 12) | ((a[1] + b[1]) << 5) | (a[0] + b[0]) | (b[2] ? PAIR_EOB : 0);
  }
  t.seqAcPair = pair;
  return pair;
}

/**
 * Progressive AC first scans, FAST_BITS index: (rs << 8) | usedBits, where usedBits is the code
 * length plus, for a coefficient (size > 0), its magnitude bits. EOBn and ZRL entries hold
 * the code length only (EOBn's run bits follow). 0: use the slow path (long, or size above
 * `maxCat`).
 */
export function progAcTable(t: HuffTable, maxCat: number): Int32Array {
  if (t.progAc && t.progAcMaxCat === maxCat) return t.progAc;
  const out = new Int32Array(1 << FAST_BITS);
  for (let i = 0; i < out.length; i++) {
    const e = t.fast[i];
    if (e === 0) continue;
    const len = e & 31;
    const rs = e >>> 8;
    const s = rs & 15;
    if (s === 0) out[i] = e;
    else if (s <= maxCat && len + s <= FAST_BITS) out[i] = (rs << 8) | (len + s);
  }
  t.progAc = out;
  t.progAcMaxCat = maxCat;
  return out;
}
