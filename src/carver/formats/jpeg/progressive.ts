// Decode-only walk of progressive Huffman scans (DC first/refine, AC first/refine).
//
// AC refinement scans read one correction bit for every coefficient that an earlier scan
// made non-zero, so which coefficients are non-zero must be remembered across scans: one
// 64-bit mask per block (two Uint32 words), not the coefficients themselves.
import type { BitReader } from './bitreader.ts';
import type { Frame, Scan, Tables } from './headers.ts';
import { blocksHigh, blocksWide, dcLimit, type ScanOutcome } from './geometry.ts';

/** Past this many blocks the masks would cost too much memory; such frames are walked by markers only. */
export const MAX_MASK_BLOCKS = 4 * 1024 * 1024;

export class ProgressiveState {
  /** Per component: 2 words per block of the padded block grid (mcusX*h × mcusY*v). */
  readonly masks: Uint32Array[];
  readonly gridW: number[];

  constructor(frame: Frame) {
    this.masks = [];
    this.gridW = [];
    for (const c of frame.components) {
      const w = frame.mcusX * c.h;
      const h = frame.mcusY * c.v;
      this.gridW.push(w);
      this.masks.push(new Uint32Array(2 * w * h));
    }
  }

  static blocksOf(frame: Frame): number {
    let n = 0;
    for (const c of frame.components) n += frame.mcusX * c.h * frame.mcusY * c.v;
    return n;
  }
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
  const dcLuts: (Int32Array | null)[] = scan.components.map((c) => tables.dc[c.td]?.lut ?? null);
  const acLuts: (Int32Array | null)[] = scan.components.map((c) => tables.ac[c.ta]?.lut ?? null);
  const lims = scan.components.map((c) => dcLimit(frame.precision, tables.q0[frame.components[c.index].tq], al));
  if (ss === 0 && ah === 0 && dcLuts.some((l) => !l)) return { ok: false, reason: 'scan uses an undefined Huffman table', failAt: start };
  if (ss > 0 && !acLuts[0]) return { ok: false, reason: 'scan uses an undefined Huffman table', failAt: start };

  const pred = new Int32Array(4);
  let eobrun = 0;
  let rst = 0;
  let done = 0;
  while (done < mcuCount) {
    const n = ri > 0 ? Math.min(ri, mcuCount - done) : mcuCount - done;
    for (let m = done; m < done + n; m++) {
      for (let b = 0; b < blockComp.length; b++) {
        const ci = blockComp[b];
        if (ss === 0) {
          if (ah === 0) {
            const s = r.symbol(dcLuts[ci]!);
            if (s < 0) return fail('invalid DC Huffman code');
            if (s > maxDc) return fail('DC category too large');
            if (s) {
              const v = r.getBits(s);
              const p = (pred[ci] += v < 1 << (s - 1) ? v - (1 << s) + 1 : v);
              if (p > lims[ci] || p < -lims[ci]) return fail('DC value out of range');
            }
          } else {
            r.getBits(1);
          }
          continue;
        }
        // AC scans are never interleaved: block m of the component's own grid.
        const compIx = scan.components[0].index;
        const mask = state.masks[compIx];
        const at = 2 * (Math.floor(m / bw) * state.gridW[compIx] + (m % bw));
        const lut = acLuts[0]!;
        if (ah === 0) {
          if (eobrun > 0) {
            eobrun--;
            continue;
          }
          let k = ss;
          while (k <= se) {
            const rs = r.symbol(lut);
            if (rs < 0) return fail('invalid AC Huffman code');
            const rr = rs >> 4;
            const s = rs & 15;
            if (s) {
              if (s > maxAc) return fail('AC category too large');
              k += rr;
              if (k > se) return fail('coefficient index past the band');
              r.getBits(s);
              if (k < 32) mask[at] |= 1 << k;
              else mask[at + 1] |= 1 << (k - 32);
              k++;
            } else if (rr < 15) {
              eobrun = (1 << rr) - 1 + r.getBits(rr);
              break;
            } else {
              k += 16;
              if (k > se + 1) return fail('zero run past the band');
            }
          }
        } else {
          let k = ss;
          if (eobrun === 0) {
            while (k <= se) {
              const rs = r.symbol(lut);
              if (rs < 0) return fail('invalid AC Huffman code');
              let rr = rs >> 4;
              const s = rs & 15;
              if (s) {
                if (s !== 1) return fail('refinement value is not ±1');
                r.getBits(1);
              } else if (rr !== 15) {
                eobrun = (1 << rr) + r.getBits(rr);
                break;
              }
              // Skip rr zero coefficients (reading a correction bit for each non-zero one on the way).
              while (k <= se) {
                const nz = k < 32 ? (mask[at] >>> k) & 1 : (mask[at + 1] >>> (k - 32)) & 1;
                if (nz) r.getBits(1);
                else {
                  if (rr === 0) break;
                  rr--;
                }
                k++;
              }
              if (s) {
                if (k > se) return fail('coefficient index past the band');
                if (k < 32) mask[at] |= 1 << k;
                else mask[at + 1] |= 1 << (k - 32);
              }
              k++;
            }
          }
          if (eobrun > 0) {
            for (; k <= se; k++) {
              const nz = k < 32 ? (mask[at] >>> k) & 1 : (mask[at + 1] >>> (k - 32)) & 1;
              if (nz) r.getBits(1);
            }
            eobrun--;
          }
        }
      }
      if (r.overrun()) return fail('entropy data ended inside an MCU');
    }
    done += n;
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
