// Shared by the ISO-BMFF tests: the media files to check, seeded noise, and small box surgery
// (find boxes, patch chunk offsets) done with an independent walker so the tests do not trust
// the code under test to find what they change.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FormatId } from '../../../src/core/types.ts';

export const REPO = resolve(import.meta.dirname, '../../..');
export const CORPUS_MEDIA = join(REPO, '../shared/corpus/media');
// Built by scripts/corpus-cards.sh (npm pretest); the synthetic media sit in its synth/ folder.
export const SYNTH = join(process.env.PHOTORESCUE_CORPUS_WORK ?? '/tmp/photorescue-corpus', 'synth');
export const FIXTURES = join(import.meta.dirname, 'isobmff-fixtures');

export interface MediaFile {
  name: string;
  path: string;
  /** The format a user expects: by container brand, not by the file's name. */
  format: FormatId;
  ext: string;
}

const ISO_EXT = /\.(heic|heif|mp4|mov|3gp)$/i;

function expected(name: string, bytes: Buffer): { format: FormatId; ext: string } {
  const major = bytes.toString('latin1', 8, 12);
  if (/\.(heic|heif)$/i.test(name)) return { format: 'heic', ext: 'heic' };
  if (/\.mov$/i.test(name)) return { format: 'mov', ext: 'mov' };
  return { format: 'mp4', ext: major.startsWith('3g') ? '3gp' : 'mp4' };
}

export function listMedia(dir: string, pattern = ISO_EXT): MediaFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => pattern.test(n))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { name, path, ...expected(name, readFileSync(path, { flag: 'r' }).subarray(0, 16)) };
    });
}

/** The synthetic corpus is usable once its generator has finished. */
export function synthReady(): boolean {
  return existsSync(join(SYNTH, '.done'));
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Deterministic noise (xorshift32), so a failure can be replayed. */
export function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export interface RawBox {
  type: string;
  start: number;
  header: number;
  end: number;
}

/** Boxes between `from` and `to` (no validation beyond "fits"). */
export function rawBoxes(buf: Buffer, from = 0, to = buf.length): RawBox[] {
  const out: RawBox[] = [];
  let p = from;
  while (p + 8 <= to) {
    let size = buf.readUInt32BE(p);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(p + 8));
      header = 16;
    } else if (size === 0) size = to - p;
    if (size < header || p + size > to) break;
    out.push({ type: buf.toString('latin1', p + 4, p + 8), start: p, header, end: p + size });
    p += size;
  }
  return out;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'moof', 'traf', 'mvex', 'dinf', 'edts', 'udta']);

/** Every box of `type` anywhere under the top level (descending into the usual containers). */
export function findAll(buf: Buffer, type: string, from = 0, to = buf.length): RawBox[] {
  const out: RawBox[] = [];
  for (const b of rawBoxes(buf, from, to)) {
    if (b.type === type) out.push(b);
    if (CONTAINERS.has(b.type)) out.push(...findAll(buf, type, b.start + b.header, b.end));
  }
  return out;
}

/** Add `delta` to every chunk offset (stco/co64) of a copy of the file. */
export function shiftChunkOffsets(file: Buffer, delta: number): Buffer {
  const out = Buffer.from(file);
  for (const b of findAll(out, 'stco')) {
    const n = out.readUInt32BE(b.start + 12);
    for (let i = 0; i < n; i++) {
      const at = b.start + 16 + i * 4;
      out.writeUInt32BE((out.readUInt32BE(at) + delta) >>> 0, at);
    }
  }
  for (const b of findAll(out, 'co64')) {
    const n = out.readUInt32BE(b.start + 12);
    for (let i = 0; i < n; i++) {
      const at = b.start + 16 + i * 8;
      out.writeBigUInt64BE(out.readBigUInt64BE(at) + BigInt(delta), at);
    }
  }
  return out;
}
