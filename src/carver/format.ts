// What a format module is (DESIGN.md "Formats are modules").
import type { ByteReader, FormatId } from '../core/types.ts';

export interface Signature {
  /** Where the bytes sit relative to the start of the file. */
  offset: number;
  bytes: Uint8Array;
}

export interface ProbeResult {
  format: FormatId;
  /** Extension to write (jpg, heic, mp4, mov, 3gp). */
  ext: string;
  /** Brand or subtype when known ('qt  ', 'isom', 'heic', 'progressive'…). */
  brand?: string;
}

export type MeasureStatus = 'complete' | 'partial' | 'invalid';

export interface Measurement {
  /**
   * complete: the structure ends cleanly at `length` and validates.
   * partial: the start is right, but the structure breaks at `length` (bytes before it are good)
   *          or runs past the end of what the reader holds.
   * invalid: not really this format (a false header hit).
   */
  status: MeasureStatus;
  /** complete: the file's length. partial: how many leading bytes are believed good. */
  length: number;
  /**
   * partial only, when known: the length the structure says the whole file has (box sizes).
   * Lets the assembler know how much is missing.
   */
  expectedLength?: number;
  reason?: string;
}

export interface FormatModule {
  id: FormatId;
  /** Default extension. */
  ext: string;
  mime: string;
  /** Upper bound on a file's size; longer structures fail closed. */
  maxSize: number;
  /** Header bytes; the scanner looks for these. */
  signatures: Signature[];
  /** Given the first bytes at a candidate start (up to 4 KiB), is this a start of my format? */
  probe(head: Buffer): ProbeResult | null;
  /**
   * Walk the structure from position 0 of `file` to find the true end, and judge it.
   * `file` may be the rest of a medium (carving) or a file laid over extents (undelete).
   * Must read only what it needs, must bound every length, and must never throw on junk.
   */
  measure(file: ByteReader, probe: ProbeResult, hint?: MeasureHint): Measurement;
}

export interface MeasureHint {
  /**
   * The file's length as a directory entry records it. When the cheap structural walk ends
   * exactly there, a module may skip its expensive validation (entropy decoding): an entry's
   * size and a structure that agree to the byte do not happen by chance.
   */
  expectedLength?: number;
}
