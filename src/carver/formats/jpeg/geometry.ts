// Block and MCU counts of a frame, value bounds, and the outcome type of a scan walk.
import type { Frame } from './headers.ts';

/** Sequential decoder state at the start of an MCU: enough to go on decoding from there. */
export interface SeqSnapshot {
  /** Index of the MCU about to be decoded. */
  mcu: number;
  /** Absolute position of the next byte to read; every byte before it is consumed or in acc. */
  readPos: number;
  acc: number;
  bits: number;
  /** DC predictors per scan component. */
  pred: number[];
  /** Next restart marker number expected. */
  rst: number;
}

export type ScanOutcome =
  | {
      ok: true;
      /** Absolute position of the marker (its first FF) that ends the scan. */
      next: number;
      /** Per requested position (SeqOptions.snapshotTargets): the last MCU-start state at or before it. */
      snapshots?: (SeqSnapshot | undefined)[];
    }
  | {
      ok: false;
      snapshots?: (SeqSnapshot | undefined)[];
      reason: string;
      /** Absolute position where the data stopped making sense. */
      failAt: number;
      /** The reader (or the size bound) ended inside the scan. */
      endOfData?: boolean;
      /** Where the picture content probably stopped being this picture (see splice.ts). */
      suspect?: number;
    };

/** Blocks per line of one component in a non-interleaved scan (T.81 A.2.2). */
export function blocksWide(frame: Frame, ci: number): number {
  const c = frame.components[ci];
  return Math.ceil(Math.ceil((frame.width * c.h) / frame.hMax) / 8);
}

export function blocksHigh(frame: Frame, ci: number): number {
  const c = frame.components[ci];
  return Math.ceil(Math.ceil((frame.height * c.v) / frame.vMax) / 8);
}

/** MCUs of a non-interleaved scan of component `ci` (one block each). */
export function scanBlockCount(frame: Frame, ci: number): number {
  return blocksWide(frame, ci) * blocksHigh(frame, ci);
}

/**
 * Largest quantized DC value a real image can have. The DC term of an 8×8 DCT of samples
 * in [0, 2^P) is 8 × (mean − 2^(P−1)), at most 2^(P+2) in magnitude; twice that is
 * allowed for encoders that round differently. Random data walks the DC predictor out of
 * this range within a few blocks. `al` is the successive-approximation shift.
 */
export function dcLimit(precision: number, q0: number, al: number): number {
  const q = q0 > 0 ? q0 : 1;
  return Math.ceil((2 * (1 << (precision + 2))) / q / (1 << al)) + 1;
}
