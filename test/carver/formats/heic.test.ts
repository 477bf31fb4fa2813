// HEIC/HEIF: brands, and the item index (iloc) deciding where the image ends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferReader } from '../../../src/core/readers.ts';
import { heic } from '../../../src/carver/formats/heic.ts';
import { mp4 } from '../../../src/carver/formats/mp4.ts';
import { mov } from '../../../src/carver/formats/mov.ts';
import { chunkMap } from '../../../src/carver/formats/isobmff.ts';
import { CORPUS_MEDIA, listMedia, noise, rawBoxes, sha256 } from './isobmff-helpers.ts';

function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.from(`ftyp${major}\0\0\0\0${compatible.join('')}`, 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(64)]);
}

/** Move every file-based iloc extent (v0/v1) by `delta` bytes, in a copy. */
function shiftIloc(file: Buffer, delta: number): Buffer {
  const out = Buffer.from(file);
  const meta = rawBoxes(out).find((b) => b.type === 'meta')!;
  const iloc = rawBoxes(out, meta.start + 12, meta.end).find((b) => b.type === 'iloc')!;
  let p = iloc.start + 8;
  const version = out[p];
  p += 4;
  const offSize = out[p] >> 4;
  const lenSize = out[p] & 15;
  const baseSize = out[p + 1] >> 4;
  const idxSize = version === 1 ? out[p + 1] & 15 : 0;
  p += 2;
  const count = out.readUInt16BE(p);
  p += 2;
  let moved = 0;
  for (let i = 0; i < count; i++) {
    p += 2;
    const method = version === 1 ? out.readUInt16BE(p) & 15 : 0;
    if (version === 1) p += 2;
    p += 2; // data reference
    const baseAt = p;
    p += baseSize;
    const n = out.readUInt16BE(p);
    p += 2;
    for (let e = 0; e < n; e++) {
      p += idxSize;
      if (method === 0 && baseSize === 0 && offSize === 4) {
        out.writeUInt32BE(out.readUInt32BE(p) + delta, p);
        moved++;
      }
      p += offSize + lenSize;
    }
    if (method === 0 && baseSize === 4 && n > 0) {
      out.writeUInt32BE(out.readUInt32BE(baseAt) + delta, baseAt);
      moved++;
    }
  }
  expect(moved).toBeGreaterThan(0);
  return out;
}

describe('heic probe', () => {
  it('claims HEIF brands and leaves the others to mp4/mov', () => {
    const cases: [Buffer, string | null][] = [
      [ftyp('heic', 'mif1', 'heic'), 'heic'],
      [ftyp('heix', 'mif1'), 'heic'],
      [ftyp('mif1', 'mif1', 'heic'), 'heic'],
      [ftyp('msf1', 'msf1', 'hevc'), 'heic'],
      [ftyp('hevc'), 'heic'],
      [ftyp('avic', 'mif1'), 'heic'],
      [ftyp('isom', 'heic'), null], // the major brand wins: an MP4 that also claims HEIF compatibility
      [ftyp('abcd', 'heic', 'isom'), 'heic'],
      [ftyp('avif', 'mif1', 'miaf'), null],
      [ftyp('mif1', 'avif', 'miaf'), null],
      [ftyp('isom', 'mp41'), null],
      [ftyp('qt  '), null],
    ];
    for (const [head, want] of cases) expect({ brand: head.toString('latin1', 8, 12), got: heic.probe(head)?.ext ?? null }).toEqual({ brand: head.toString('latin1', 8, 12), got: want });
  });

  it('rejects an ftyp whose size is not 16 + 4n or above 256, or whose brands are not text', () => {
    const good = ftyp('heic', 'mif1');
    const bad = (edit: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(good);
      edit(b);
      return b;
    };
    expect(heic.probe(good)).not.toBeNull();
    expect(heic.probe(bad((b) => b.writeUInt32BE(22, 0)))).toBeNull();
    expect(heic.probe(bad((b) => b.writeUInt32BE(260, 0)))).toBeNull();
    expect(heic.probe(bad((b) => b.writeUInt32BE(8, 0)))).toBeNull();
    expect(heic.probe(bad((b) => (b[17] = 0x07)))).toBeNull();
    expect(heic.probe(bad((b) => b.write('\0\0\0\0', 8, 'latin1')))).toBeNull();
  });

  it('names every corpus HEIC/HEIF as heic, and nothing else claims them', () => {
    const files = listMedia(CORPUS_MEDIA, /\.(heic|heif)$/i);
    expect(files.length).toBe(11);
    for (const f of files) {
      const head = readFileSync(f.path).subarray(0, 4096);
      expect({ f: f.name, heic: heic.probe(head)?.ext, mp4: mp4.probe(head), mov: mov.probe(head) }).toEqual({ f: f.name, heic: 'heic', mp4: null, mov: null });
    }
  });
});

describe('heic measure', () => {
  const load = (n: string): Buffer => readFileSync(join(CORPUS_MEDIA, n));
  const measure = (b: Buffer) => heic.measure(bufferReader(b), heic.probe(b)!);

  it('keeps Samsung\'s mdat-first layout and its sefd trailer', () => {
    const file = load('samsung_s10plus_mdat_first.heic');
    const m = measure(Buffer.concat([file, noise(10000, 1)]));
    expect(m).toEqual({ status: 'complete', length: file.length });
    expect(rawBoxes(file).map((b) => b.type)).toEqual(['ftyp', 'mdat', 'meta', 'sefd']);
  });

  it('keeps the second mdat an iPhone writes with EXIF at the end, and knows it is needed', () => {
    const file = load('iphone11pro_exif_at_eof.heic');
    const boxes = rawBoxes(file);
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'meta', 'mdat', 'mdat']);
    expect(measure(Buffer.concat([file, Buffer.alloc(4096)])).length).toBe(file.length);
    // Without the last mdat the item index points past the end: partial, with the real length.
    const cut = Buffer.concat([file.subarray(0, boxes[3].start), noise(4096, 2)]);
    const m = measure(cut);
    expect(m.status).toBe('partial');
    expect(m.expectedLength).toBeGreaterThan(boxes[3].start);
    const map = chunkMap(bufferReader(file))!;
    expect(map.length).toBe(2);
    expect(map[1].offset).toBeGreaterThanOrEqual(boxes[3].start + 8);
  });

  it('an Exif block at the end of the file that is not Exif any more is caught', () => {
    const file = load('iphone11pro_exif_at_eof.heic');
    // The item is a 32-bit offset (0 here) and a TIFF header.
    const exif = file.lastIndexOf(Buffer.from('\0\0\0\0II*\0', 'latin1'));
    expect(exif).toBeGreaterThan(file.length - 65536);
    const copy = Buffer.from(file);
    noise(16, 5).copy(copy, exif);
    const m = measure(Buffer.concat([copy, noise(4096, 6)]));
    expect(m.status).toBe('partial');
    expect(m.length).toBeLessThanOrEqual(exif);
  });

  it('catches an item index moved outside the file', () => {
    for (const n of ['iphone8.heic', 'nokiatech_grid.heic', 'nokiatech_thumb.heic', 'samsung_s10plus_mdat_first.heic']) {
      const file = load(n);
      const m = measure(Buffer.concat([shiftIloc(file, file.length), noise(4096, 4)]));
      expect({ n, status: m.status }).not.toEqual({ n, status: 'complete' });
    }
  });

  it('a HEIC with its mdat cut from a card image is partial and says how long it should be', () => {
    const file = load('iphone13promax_a.heic');
    const m = measure(file.subarray(0, 1_000_000));
    expect(m.status).toBe('partial');
    expect(m.expectedLength).toBe(file.length);
    expect(sha256(file.subarray(0, m.length))).toBe(sha256(file.subarray(0, 1_000_000)));
  });
});
