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
  readonly lut: Int32Array;
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
}

const LUT_SIZE = 1 << 16;

// Cameras reuse the same few tables (often the ones from Annex K), so built tables are
// kept by their DHT bytes; a carver run measures thousands of files.
const cache = new Map<string, HuffTable>();
const CACHE_MAX = 64;

/**
 * Build a table from the 16 code-length counts and the symbols of one DHT table.
 * Returns null when the counts describe an impossible code (more codes of a length than
 * the code space leaves), which a real encoder never writes.
 */
export function buildHuffman(counts: Uint8Array, symbols: Uint8Array): HuffTable | null {
  const key = Buffer.from(counts).toString('latin1') + Buffer.from(symbols).toString('latin1');
  const hit = cache.get(key);
  if (hit) return hit;
  const lut = new Int32Array(LUT_SIZE);
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
  const table: HuffTable = { lut, fast, seqAc: null, seqAcMaxCat: 0 };
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
  return fast;
}
