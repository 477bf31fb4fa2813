// Decode-only walk of progressive Huffman scans (DC first/refine, AC first/refine).
//
// AC refinement scans read one correction bit for every coefficient that an earlier scan
// made non-zero, so which coefficients are non-zero must be remembered across scans: one
// 64-bit mask per block (two Uint32 words), not the coefficients themselves.
import type { BitReader } from './bitreader.ts';
import type { Frame, Scan, Tables } from './headers.ts';
import { FAST_BITS, FAST_MASK, progAcTable, type HuffTable } from './huffman.ts';

const EMPTY = new Int32Array(0);
import { blocksHigh, blocksWide, dcLimit, type ScanOutcome } from './geometry.ts';

/** Past this many blocks the masks would cost too much memory; such frames are walked by markers only. */
export const MAX_MASK_BLOCKS = 2 * 1024 * 1024;

export class ProgressiveState {
  /** Per component: 2 words per block of the padded block grid (mcusX*h × mcusY*v). */
  readonly masks: Int32Array[];
  readonly gridW: number[];

  constructor(frame: Frame) {
    this.masks = [];
    this.gridW = [];
    for (const c of frame.components) {
      const w = frame.mcusX * c.h;
      const h = frame.mcusY * c.v;
      this.gridW.push(w);
      this.masks.push(new Int32Array(2 * w * h));
    }
  }

  static blocksOf(frame: Frame): number {
    let n = 0;
    for (const c of frame.components) n += frame.mcusX * c.h * frame.mcusY * c.v;
    return n;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Bits of coefficients from..to (inclusive, zigzag order) that fall in the mask word starting at `base` (0 or 32). */
function wordMask(from: number, to: number, base: number): number {
  const lo = Math.max(from, base) - base;
  const hi = Math.min(to, base + 31) - base;
  if (hi < lo) return 0;
  const width = hi - lo + 1;
  return width === 32 ? -1 : ((1 << width) - 1) << lo;
}

const REASONS = [
  '',
  'invalid DC Huffman code',
  'DC category too large',
  'DC value out of range',
  'invalid AC Huffman code',
  'AC category too large',
  'coefficient index past the band',
  'zero run past the band',
  'refinement value is not ±1',
];

/** DC first scan, one block: 0 or an index into REASONS. */
function dcFirst(r: BitReader, t: HuffTable, pred: Int32Array, ci: number, lim: number, maxDc: number): number {
  const s = r.symbol(t);
  if (s < 0) return 1;
  if (s > maxDc) return 2;
  if (s) {
    const v = r.getBits(s);
    const p = (pred[ci] += v < 1 << (s - 1) ? v - (1 << s) + 1 : v);
    if (p > lim || p < -lim) return 3;
  }
  return 0;
}

/** DC scan (first or refinement), one MCU: 0 or an index into REASONS. */
function dcMcu(
  r: BitReader,
  blockComp: number[],
  dcLuts: (HuffTable | null)[],
  pred: Int32Array,
  lims: number[],
  maxDc: number,
  ah: number,
): number {
  for (let b = 0; b < blockComp.length; b++) {
    const ci = blockComp[b];
    if (ah === 0) {
      const e = dcFirst(r, dcLuts[ci]!, pred, ci, lims[ci], maxDc);
      if (e !== 0) return e;
    } else {
      r.getBits(1);
    }
  }
  return 0;
}

/**
 * AC first scan, one block (not in an EOB run): the new EOB run, or −(index into REASONS).
 * `pf` (progAcTable) gives code and magnitude bits in one lookup for most symbols; the bit
 * count stays in a local as in acRefine.
 */
function acFirst(r: BitReader, t: HuffTable, pf: Int32Array, mask: Int32Array, at: number, ss: number, se: number, maxAc: number): number {
  const lut = t.lut;
  let acc = r.acc;
  let bits = r.bits;
  let lo = mask[at];
  let hi = mask[at + 1];
  let k = ss;
  let result = 0;
  while (k <= se) {
    if (bits < 16) {
      r.bits = bits;
      r.fill();
      acc = r.acc;
      bits = r.bits;
    }
    let e = pf[(acc >>> (bits - FAST_BITS)) & FAST_MASK];
    let rs: number;
    if (e !== 0) {
      bits -= e & 31; // code and, for a coefficient, its magnitude bits
      rs = e >>> 8;
    } else {
      e = lut[(acc >>> (bits - 16)) & 0xffff];
      if (e === 0) {
        result = -4;
        break;
      }
      bits -= e & 31;
      rs = e >>> 8;
      const s = rs & 15;
      if (s > maxAc) {
        result = -5;
        break;
      }
      if (bits < s) {
        r.bits = bits;
        r.fill();
        acc = r.acc;
        bits = r.bits;
      }
      bits -= s;
    }
    const rr = rs >> 4;
    if ((rs & 15) !== 0) {
      k += rr;
      if (k > se) {
        result = -6;
        break;
      }
      if (k < 32) lo |= 1 << k;
      else hi |= 1 << (k - 32);
      k++;
    } else if (rr < 15) {
      if (bits < rr) {
        r.bits = bits;
        r.fill();
        acc = r.acc;
        bits = r.bits;
      }
      result = (1 << rr) - 1 + (rr ? (acc >>> (bits - rr)) & ((1 << rr) - 1) : 0);
      bits -= rr;
      break;
    } else {
      k += 16;
      if (k > se + 1) {
        result = -7;
        break;
      }
    }
  }
  mask[at] = lo;
  mask[at + 1] = hi;
  r.bits = bits;
  return result;
}

/**
 * AC refinement scan, one block: the EOB run left after it, or −(index into REASONS).
 * The hottest progressive path: the bit count is kept in a local and written back to the
 * reader only around refills (acc itself only changes inside fill()).
 */
function acRefine(r: BitReader, t: HuffTable, mask: Int32Array, at: number, ss: number, se: number, eobrun: number): number {
  const fast = t.fast;
  const lut = t.lut;
  let acc = r.acc;
  let bits = r.bits;
  let k = ss;
  let lo = mask[at];
  let hi = mask[at + 1];
  if (eobrun === 0) {
    while (k <= se) {
      if (bits < 16) {
        r.bits = bits;
        r.fill();
        acc = r.acc;
        bits = r.bits;
      }
      let e = fast[(acc >>> (bits - FAST_BITS)) & FAST_MASK];
      if (e === 0) e = lut[(acc >>> (bits - 16)) & 0xffff];
      if (e === 0) {
        r.bits = bits;
        return -4;
      }
      bits -= e & 31;
      const rs = e >>> 8;
      let rr = rs >> 4;
      const s = rs & 15;
      // Bits to skip: the new coefficient's sign, then a correction bit for each
      // non-zero coefficient passed (their values do not matter here, only their count).
      let skip = 0;
      if (s) {
        if (s !== 1) {
          r.bits = bits;
          return -8;
        }
        skip = 1;
      } else if (rr !== 15) {
        if (bits < rr) {
          r.bits = bits;
          r.fill();
          acc = r.acc;
          bits = r.bits;
        }
        eobrun = (1 << rr) + ((acc >>> (bits - rr)) & ((1 << rr) - 1));
        bits -= rr;
        break;
      }
      // Pass rr zero coefficients and stop on the next zero one, counting the non-zero ones
      // passed (one correction bit each). Runs are short: a plain loop beats bit tricks here.
      while (k <= se) {
        if (((k < 32 ? lo >>> k : hi >>> (k - 32)) & 1) !== 0) skip++;
        else if (rr === 0) break;
        else rr--;
        k++;
      }
      while (skip > bits) {
        skip -= bits;
        r.bits = 0;
        r.fill();
        acc = r.acc;
        bits = r.bits;
      }
      bits -= skip;
      if (s) {
        if (k > se) {
          r.bits = bits;
          return -6;
        }
        if (k < 32) lo |= 1 << k;
        else hi |= 1 << (k - 32);
      }
      k++;
    }
    mask[at] = lo;
    mask[at + 1] = hi;
  }
  if (eobrun > 0) {
    // One correction bit per already non-zero coefficient left in the band.
    let skip = k <= se ? popcount(lo & wordMask(k, se, 0)) + popcount(hi & wordMask(k, se, 32)) : 0;
    while (skip > bits) {
      skip -= bits;
      r.bits = 0;
      r.fill();
      bits = r.bits;
    }
    bits -= skip;
    eobrun--;
  }
  r.bits = bits;
  return eobrun;
}

export function decodeProgressive(
  r: BitReader,
  frame: Frame,
  scan: Scan,
  tables: Tables,
  state: ProgressiveState,
  start: number,
): ScanOutcome {
  r.seek(start);
  const maxDc = frame.precision === 8 ? 11 : 15;
  const maxAc = frame.precision === 8 ? 10 : 14;
  const ri = tables.restartInterval;
  const ns = scan.components.length;
  const { ss, se, ah, al } = scan;
  const fail = (reason: string): ScanOutcome => ({ ok: false, reason, failAt: r.position(), endOfData: r.marker === 0x100 });

  // Interleaved scans (DC only here) walk MCUs of h×v blocks per component; others one component's blocks.
  let mcuCount: number;
  const blockComp: number[] = [];
  let bw = 0;
  if (ns === 1) {
    bw = blocksWide(frame, scan.components[0].index);
    mcuCount = bw * blocksHigh(frame, scan.components[0].index);
    blockComp.push(0);
  } else {
    mcuCount = frame.mcusX * frame.mcusY;
    for (let i = 0; i < ns; i++) {
      const fc = frame.components[scan.components[i].index];
      for (let j = 0; j < fc.h * fc.v; j++) blockComp.push(i);
    }
  }
  const dcLuts: (HuffTable | null)[] = scan.components.map((c) => tables.dc[c.td]);
  const acLuts: (HuffTable | null)[] = scan.components.map((c) => tables.ac[c.ta]);
  const lims = scan.components.map((c) => dcLimit(frame.precision, tables.q0[frame.components[c.index].tq], al));
  if (ss === 0 && ah === 0 && dcLuts.some((l) => !l)) return { ok: false, reason: 'scan uses an undefined Huffman table', failAt: start };
  if (ss > 0 && !acLuts[0]) return { ok: false, reason: 'scan uses an undefined Huffman table', failAt: start };

  const acFast = ss > 0 && acLuts[0] ? progAcTable(acLuts[0], maxAc) : EMPTY;
  const pred = new Int32Array(4);
  // AC scans: position of the current block in the component's padded grid (row-major, 2 words each).
  const compIx = scan.components[0].index;
  const mask = state.masks[compIx];
  const gridW = state.gridW[compIx];
  let col = 0;
  let rowBase = 0;
  let eobrun = 0;
  let rst = 0;
  let done = 0;
  // Per-block work lives in small functions: V8 optimizes them as called functions instead of
  // compiling this loop on-stack, which deoptimized at every inner-loop exit.
  while (done < mcuCount) {
    const n = ri > 0 ? Math.min(ri, mcuCount - done) : mcuCount - done;
    for (let m = done; m < done + n; m++) {
      if (ss === 0) {
        const e = dcMcu(r, blockComp, dcLuts, pred, lims, maxDc, ah);
        if (e !== 0) return fail(REASONS[e]);
      } else {
        // AC scans are never interleaved: block m of the component's own grid.
        const at = 2 * (rowBase + col);
        if (++col === bw) {
          col = 0;
          rowBase += gridW;
        }
        if (ah === 0) {
          if (eobrun > 0) eobrun--;
          else eobrun = acFirst(r, acLuts[0]!, acFast, mask, at, ss, se, maxAc);
        } else {
          eobrun = acRefine(r, acLuts[0]!, mask, at, ss, se, eobrun);
        }
        if (eobrun < 0) return fail(REASONS[-eobrun]);
      }
      if (r.overrun()) return fail('entropy data ended inside an MCU');
    }
    done += n;
    // Encoders end every EOB run with the interval (libjpeg flushes it before each RST and
    // at the end of the scan): a run reaching past it counts blocks that do not exist.
    if (eobrun !== 0) return fail('EOB run past the end of the scan or restart interval');
    if (done < mcuCount) {
      const mk = r.finishSegment();
      if (mk !== 0xd0 + rst) return fail(mk < 0 ? 'restart interval does not end at a marker' : 'restart marker missing or out of order');
      rst = (rst + 1) & 7;
      pred.fill(0);
      eobrun = 0;
      r.seek(r.markerEnd);
    }
  }
  const mk = r.finishSegment();
  if (mk < 0 || mk === 0x100 || (mk >= 0xd0 && mk <= 0xd7)) {
    return fail(mk === 0x100 ? 'data ends inside the scan' : 'scan does not end at a marker after its last MCU');
  }
  return { ok: true, next: r.markerPos };
}

