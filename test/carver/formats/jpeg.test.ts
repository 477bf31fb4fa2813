// The JPEG module against real camera files (corpus) and real-encoder synth files:
// exact ends behind foreign data, and no "complete" for truncated or damaged files.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jpeg } from '../../../src/carver/formats/jpeg.ts';
import { bufferReader } from '../../../src/core/readers.ts';
import { entropyStart, FIXTURE_DIR, segments, jpegsIn, MEDIA_DIR, noise, seededInt, sha256, SYNTH_DIR } from './jpeg-helpers.ts';

const media = jpegsIn(MEDIA_DIR);
const fixtures = jpegsIn(FIXTURE_DIR);
const synth = jpegsIn(SYNTH_DIR, 'synth_');

function measure(b: Buffer) {
  const p = jpeg.probe(b.subarray(0, 4096));
  expect(p).not.toBeNull();
  return jpeg.measure(bufferReader(b), p!);
}

function expectExact(original: Buffer, carrier: Buffer): void {
  const m = measure(carrier);
  expect(m.status, m.reason).toBe('complete');
  expect(m.length).toBe(original.length);
  expect(sha256(carrier.subarray(0, m.length))).toBe(sha256(original));
}

/** Replace [at, at+block.length) of a copy of `b` with `block`. */
function overwrite(b: Buffer, at: number, block: Buffer): Buffer {
  const c = Buffer.from(b);
  block.copy(c, at);
  return c;
}

/** A 4 KiB-aligned spot in the middle of the entropy-coded data, clear of the ends. */
function middleOfScan(b: Buffer): number {
  const s = entropyStart(b);
  const mid = Math.floor((s + b.length) / 2);
  return Math.max(s, Math.min(b.length - 4096 - 2, mid - (mid % 512)));
}

function arithmetic(b: Buffer): boolean {
  return segments(b).some((s) => s.marker >= 0xc9 && s.marker <= 0xcf && s.marker !== 0xcc);
}

function suite(files: { name: string; bytes: Buffer }[]): void {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  files.forEach(({ name, bytes }, i) => {
    const other = files[(i + 1) % files.length].bytes;
    describe(name, () => {
      it('ends exactly at its EOI when followed by random bytes', () => {
        expectExact(bytes, Buffer.concat([bytes, noise(64 * 1024 + 123, i + 1)]));
      });
      it('ends exactly at its EOI when followed by zeros', () => {
        expectExact(bytes, Buffer.concat([bytes, Buffer.alloc(64 * 1024)]));
      });
      it('ends exactly at its EOI when followed by another JPEG', () => {
        expectExact(bytes, Buffer.concat([bytes, other]));
      });
      it('is partial when cut at 50%', () => {
        const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
        const m = measure(cut);
        expect(m.status).toBe('partial');
        expect(m.length).toBeLessThanOrEqual(cut.length);
      });
      it('is partial when cut at a random point', () => {
        const n = seededInt(1000 + i, Math.floor(bytes.length / 4), bytes.length - 1);
        const m = measure(bytes.subarray(0, n));
        expect(m.status).toBe('partial');
        expect(m.length).toBeLessThanOrEqual(n);
      });
      it('is not complete with a 4 KiB block of random bytes in the scan data', () => {
        const at = middleOfScan(bytes);
        const m = measure(Buffer.concat([overwrite(bytes, at, noise(4096, 77 + i)), Buffer.alloc(4096)]));
        expect(m.status).not.toBe('complete');
        expect(m.length).toBeLessThan(bytes.length);
      });
      // Arithmetic-coded scans (SOF9+, rare in cameras) are walked by their markers only: a
      // block of other scan data or of zeros there is not noticed, so those cases are not claimed.
      if (arithmetic(bytes)) return;
      it("is not complete with a 4 KiB block of another JPEG's scan data", () => {
        const at = middleOfScan(bytes);
        const from = middleOfScan(other);
        const m = measure(Buffer.concat([overwrite(bytes, at, other.subarray(from, from + 4096)), Buffer.alloc(4096)]));
        expect(m.status).not.toBe('complete');
        expect(m.length).toBeLessThan(bytes.length);
      });
      it('is not complete with a zeroed 4 KiB block in the scan data', () => {
        const at = middleOfScan(bytes);
        const m = measure(Buffer.concat([overwrite(bytes, at, Buffer.alloc(4096)), Buffer.alloc(4096)]));
        expect(m.status).not.toBe('complete');
        expect(m.length).toBeLessThan(bytes.length);
      });
    });
  });
}

describe('jpeg: real camera files (corpus)', () => {
  suite(media);
});

describe('jpeg: committed fixtures (cjpeg: restarts, arithmetic, gray, 4:4:4, 4:2:2, non-interleaved)', () => {
  suite(fixtures);
});

describe.runIf(existsSync(SYNTH_DIR))('jpeg: synthetic files made by libjpeg (corpus-out/synth)', () => {
  suite(synth);
});
