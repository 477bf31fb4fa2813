// Decode-only walk of a sequential (baseline / extended) Huffman scan.
//
// Checks, per block: every code exists in its table, DC/AC magnitude categories fit the
// sample precision, no run goes past coefficient 63, the DC predictor stays inside what a
// DCT of real samples can give; per restart interval and scan: the interval ends exactly
// where the next marker starts, and restart markers come in order RST0…RST7.
// The inner loop keeps the bit buffer in locals and handles the common refill (two plain
// bytes) inline; chunk ends and FF bytes go through BitReader.fill().
import type { BitReader } from './bitreader.ts';
import { FAST_BITS, FAST_MASK, PAIR_BITS, PAIR_EOB, PAIR_MASK, seqAcPairTable, seqAcTable } from './huffman.ts';
import type { Frame, Scan, Tables } from './headers.ts';
import { blocksWide, dcLimit, scanBlockCount, type ScanOutcome, type SeqSnapshot } from './geometry.ts';
import { MAX_TRACKED_MCUS, spliceStart } from './splice.ts';

export interface SeqOptions {
  /** Go on from this state instead of from the start of the scan. */
  resume?: SeqSnapshot;
  /**
   * Ascending positions: for each, keep the state at the last MCU start whose read position
   * is at or before it (returned in ScanOutcome.snapshots, same order).
   */
  snapshotTargets?: readonly number[];
}

export function decodeSequential(r: BitReader, frame: Frame, scan: Scan, tables: Tables, start: number, opts: SeqOptions = {}): ScanOutcome {
  const ns = scan.components.length;
  const maxDc = frame.precision === 8 ? 11 : 15;
  const maxAc = frame.precision === 8 ? 10 : 14;
  // The blocks of one MCU, in order, with their tables.
  const dcLuts: Uint16Array[] = [];
  const dcFast: Int32Array[] = [];
  const acFast: Int32Array[] = [];
  const acPair: Int32Array[] = [];
  const acLuts: Uint16Array[] = [];
  const predIx: number[] = [];
  const lims: number[] = [];
  for (let i = 0; i < ns; i++) {
    const sc = scan.components[i];
    const fc = frame.components[sc.index];
    const dc = tables.dc[sc.td];
    const ac = tables.ac[sc.ta];
    if (!dc || !ac) return { ok: false, reason: 'scan uses an undefined Huffman table', failAt: start };
    const n = ns === 1 ? 1 : fc.h * fc.v;
    for (let b = 0; b < n; b++) {
      dcLuts.push(dc.lut);
      dcFast.push(dc.fast);
      acFast.push(seqAcTable(ac, maxAc));
      acPair.push(seqAcPairTable(ac, maxAc));
      acLuts.push(ac.lut);
      predIx.push(i);
      lims.push(dcLimit(frame.precision, tables.q0[fc.tq], 0));
    }
  }
  const bpm = dcLuts.length;
  const mcuCount = ns === 1 ? scanBlockCount(frame, scan.components[0].index) : frame.mcusX * frame.mcusY;
  const ri = tables.restartInterval;
  const pred = new Int32Array(4);
  // For spliceStart(): each MCU's first-block DC, its difference to the MCU above, and where
  // the MCU starts. A few integer ops per MCU, next to dozens of Huffman symbols.
  const gridW = ns === 1 ? blocksWide(frame, scan.components[0].index) : frame.mcusX;
  const resume = opts.resume;
  // A resumed decode has no rows above to compare with: no splice hint then.
  const track = !resume && mcuCount <= MAX_TRACKED_MCUS;
  const targets = opts.snapshotTargets ?? [];
  const snapshots: (SeqSnapshot | undefined)[] = new Array<SeqSnapshot | undefined>(targets.length);
  let ti = 0;
  let snapMcu = -1;
  let snapReadPos = 0;
  let snapAcc = 0;
  let snapBits = 0;
  let snapRst = 0;
  const snapPred = new Int32Array(4);
  const lastSnapshot = (): SeqSnapshot | undefined =>
    snapMcu >= 0 ? { mcu: snapMcu, readPos: snapReadPos, acc: snapAcc, bits: snapBits, pred: Array.from(snapPred), rst: snapRst } : undefined;
  const rowDc = new Int32Array(gridW);
  const vd = new Int32Array(track ? mcuCount : 0);
  const hd = new Int32Array(track ? mcuCount : 0);
  const mcuAt = new Uint32Array(track ? mcuCount : 0);
  let col = 0;
  let mcuIx = 0;
  let dc0 = 0;

  let done = 0;
  let rst = 0;
  if (resume) {
    r.seek(resume.readPos);
    r.acc = resume.acc;
    r.bits = resume.bits;
    pred.set(resume.pred.slice(0, 4));
    done = resume.mcu;
    mcuIx = resume.mcu;
    col = resume.mcu % gridW;
    rst = resume.rst & 7;
  } else {
    r.seek(start);
  }
  let buf = r.buf;
  let pos = r.pos;
  let end = r.end;
  let acc = r.acc;
  let bits = r.bits;
  let reason = '';
  outer: while (done < mcuCount) {
    // A resumed decode may start inside a restart interval.
    const n = ri > 0 ? Math.min(ri - (done % ri), mcuCount - done) : mcuCount - done;
    for (let m = 0; m < n; m++) {
      if (track) mcuAt[mcuIx] = r.bufStart + pos - (bits >> 3);
      if (ti < targets.length && r.marker < 0) {
        const p = r.bufStart + pos;
        // Passed a target: the state kept last is the one for it.
        while (ti < targets.length && p > targets[ti]) snapshots[ti++] = lastSnapshot();
        if (ti < targets.length) {
          snapMcu = mcuIx;
          snapReadPos = p;
          snapAcc = acc;
          snapBits = bits;
          snapRst = rst;
          snapPred.set(pred);
        }
      }
      for (let b = 0; b < bpm; b++) {
        // --- DC difference
        if (bits < 17) {
          if (pos + 1 < end && buf[pos] !== 0xff && buf[pos + 1] !== 0xff) {
            acc = (acc << 16) | (buf[pos] << 8) | buf[pos + 1];
            pos += 2;
            bits += 16;
          } else {
            r.pos = pos; r.acc = acc & 0x3fffffff; r.bits = bits; r.fill();
            buf = r.buf; pos = r.pos; end = r.end; acc = r.acc; bits = r.bits;
          }
        }
        let e = dcFast[b][(acc >>> (bits - FAST_BITS)) & FAST_MASK];
        if (e === 0) e = dcLuts[b][(acc >>> (bits - 16)) & 0xffff];
        if (e === 0) {
          reason = 'invalid DC Huffman code';
          break outer;
        }
        bits -= e & 31;
        const s = e >>> 8;
        if (s !== 0) {
          if (s > maxDc) {
            reason = 'DC category too large';
            break outer;
          }
          if (bits < s) {
            r.pos = pos; r.acc = acc & 0x3fffffff; r.bits = bits; r.fill();
            buf = r.buf; pos = r.pos; end = r.end; acc = r.acc; bits = r.bits;
          }
          const v = (acc >>> (bits - s)) & ((1 << s) - 1);
          bits -= s;
          const p = (pred[predIx[b]] += v < 1 << (s - 1) ? v - (1 << s) + 1 : v);
          const lim = lims[b];
          if (p > lim || p < -lim) {
            reason = 'DC value out of range';
            break outer;
          }
        }
        if (b === 0) dc0 = pred[predIx[0]];
        // --- AC coefficients
        const fast = acFast[b];
        const pair = acPair[b];
        let k = 1;
        while (k < 64) {
          if (bits < 17) {
            if (pos + 1 < end && buf[pos] !== 0xff && buf[pos + 1] !== 0xff) {
              acc = (acc << 16) | (buf[pos] << 8) | buf[pos + 1];
              pos += 2;
              bits += 16;
            } else {
              r.pos = pos; r.acc = acc & 0x3fffffff; r.bits = bits; r.fill();
              buf = r.buf; pos = r.pos; end = r.end; acc = r.acc; bits = r.bits;
            }
          }
          const q = pair[(acc >>> (bits - PAIR_BITS)) & PAIR_MASK];
          if (q !== 0 && k + (q >>> 12) < 64) {
            bits -= q & 31;
            k += (q >>> 5) & 63;
            if ((q & PAIR_EOB) !== 0) break;
            continue;
          }
          const f = fast[(acc >>> (bits - FAST_BITS)) & FAST_MASK];
          if (f !== 0) {
            bits -= f & 31;
            const adv = f >>> 5;
            if (adv === 0) break;
            k += adv;
            continue;
          }
          const e2 = acLuts[b][(acc >>> (bits - 16)) & 0xffff];
          if (e2 === 0) {
            reason = 'invalid AC Huffman code';
            break outer;
          }
          bits -= e2 & 31;
          const rs = e2 >>> 8;
          const s2 = rs & 15;
          if (s2 === 0) {
            if (rs === 0xf0) {
              k += 16;
              continue;
            }
            if (rs === 0) break;
            reason = 'invalid AC symbol';
            break outer;
          }
          if (s2 > maxAc) {
            reason = 'AC category too large';
            break outer;
          }
          if (bits < s2) {
            r.pos = pos; r.acc = acc & 0x3fffffff; r.bits = bits; r.fill();
            buf = r.buf; pos = r.pos; end = r.end; acc = r.acc; bits = r.bits;
          }
          bits -= s2;
          k += (rs >> 4) + 1;
        }
        if (k > 64) {
          reason = 'coefficient index past 63';
          break outer;
        }
      }
      if (bits < r.fake) {
        reason = 'entropy data ended inside an MCU';
        break outer;
      }
      if (track) {
        const d = dc0 - rowDc[col];
        vd[mcuIx] = d < 0 ? -d : d;
        const h = col > 0 ? dc0 - rowDc[col - 1] : 0;
        hd[mcuIx] = h < 0 ? -h : h;
      }
      rowDc[col] = dc0;
      if (++col === gridW) col = 0;
      mcuIx++;
    }
    done += n;
    r.pos = pos; r.acc = acc & 0x3fffffff; r.bits = bits;
    if (done < mcuCount) {
      const mk = r.finishSegment();
      if (mk !== 0xd0 + rst) {
        reason = mk < 0 ? 'restart interval does not end at a marker' : 'restart marker missing or out of order';
        break outer;
      }
      rst = (rst + 1) & 7;
      pred.fill(0);
      r.seek(r.markerEnd);
      buf = r.buf; pos = r.pos; end = r.end; acc = r.acc; bits = r.bits;
    }
  }
  // Targets past the last MCU reached get the last state kept.
  if (ti < targets.length) {
    const last = lastSnapshot();
    while (ti < targets.length) snapshots[ti++] = last;
  }
  const snap = targets.length > 0 ? { snapshots } : {};
  const failed = (why: string): ScanOutcome => {
    const endOfData = r.marker === 0x100;
    const suspect = track && !endOfData ? spliceStart(vd, hd, mcuAt, gridW, mcuIx) : null;
    return { ok: false, reason: why, failAt: r.position(), endOfData, ...(suspect !== null ? { suspect } : {}), ...snap };
  };
  if (reason) {
    r.pos = pos; r.acc = acc & 0x3fffffff; r.bits = bits;
    return failed(reason);
  }
  const mk = r.finishSegment();
  if (mk < 0 || mk === 0x100 || (mk >= 0xd0 && mk <= 0xd7)) {
    return failed(mk === 0x100 ? 'data ends inside the scan' : 'scan does not end at a marker after its last MCU');
  }
  return { ok: true, next: r.markerPos, ...snap };
}
