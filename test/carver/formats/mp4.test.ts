// MP4 and 3GP: brands, 64-bit and open-ended mdat sizes, movie fragments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferReader } from '../../../src/core/readers.ts';
import { mp4 } from '../../../src/carver/formats/mp4.ts';
import { heic } from '../../../src/carver/formats/heic.ts';
import { mov } from '../../../src/carver/formats/mov.ts';
import { chunkMap } from '../../../src/carver/formats/isobmff.ts';
import { CORPUS_MEDIA, FIXTURES, findAll, noise, rawBoxes, sha256, shiftChunkOffsets } from './isobmff-helpers.ts';

function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.from(`ftyp${major}\0\0\0\0${compatible.join('')}`, 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(64)]);
}

const corpus = (n: string): Buffer => readFileSync(join(CORPUS_MEDIA, n));
const fixture = (n: string): Buffer => readFileSync(join(FIXTURES, n));
const measure = (b: Buffer) => mp4.measure(bufferReader(b), mp4.probe(b)!);

describe('mp4 probe', () => {
  it('claims MP4 and 3GP brands, with the 3gp extension for 3GPP', () => {
    const cases: [Buffer, string | null][] = [
      [ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'), 'mp4'],
      [ftyp('mp42', 'isom', 'mp42'), 'mp4'],
      [ftyp('mp41'), 'mp4'],
      [ftyp('M4V ', 'M4V ', 'mp42', 'isom'), 'mp4'],
      [ftyp('XAVC', 'XAVC', 'mp42', 'iso2'), 'mp4'],
      [ftyp('dash', 'iso6', 'mp41'), 'mp4'],
      [ftyp('3gp5', '3gp5', 'isom'), '3gp'],
      [ftyp('3gp4', '3gp4'), '3gp'],
      [ftyp('3g2a', '3g2a'), '3gp'],
      [ftyp('zzzz', 'isom'), 'mp4'],
      [ftyp('M4A ', 'M4A ', 'mp42', 'isom'), null],
      [ftyp('crx ', 'crx ', 'isom'), null],
      [ftyp('qt  '), null],
      [ftyp('heic', 'mif1'), null],
      [ftyp('zzzz', 'yyyy'), null],
    ];
    for (const [head, want] of cases) {
      const brand = head.toString('latin1', 8, 12);
      expect({ brand, got: mp4.probe(head)?.ext ?? null }).toEqual({ brand, got: want });
    }
  });

  it('the 3gp5-branded phone video named .mp4 is an mp4-family file written as .3gp', () => {
    const head = corpus('android_3gp5_brand.mp4').subarray(0, 4096);
    expect(mp4.probe(head)).toEqual({ format: 'mp4', ext: '3gp', brand: '3gp5' });
    expect(heic.probe(head)).toBeNull();
    expect(mov.probe(head)).toBeNull();
  });
});

describe('mp4 box sizes', () => {
  it('follows a 64-bit mdat size (size field 1)', () => {
    const file = corpus('android6_gps.mp4');
    const [ft, mdat, moov] = rawBoxes(file);
    expect([ft.type, mdat.type, moov.type]).toEqual(['ftyp', 'mdat', 'moov']);
    const large = Buffer.alloc(16);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(BigInt(mdat.end - mdat.start + 8), 8);
    // Eight more header bytes move every chunk: the tables follow.
    const converted = shiftChunkOffsets(
      Buffer.concat([file.subarray(0, mdat.start), large, file.subarray(mdat.start + 8, mdat.end), file.subarray(moov.start)]),
      8,
    );
    const m = measure(Buffer.concat([converted, noise(8192, 1)]));
    expect(m).toEqual({ status: 'complete', length: file.length + 8 });
    // The same file with the tables left unshifted points 8 bytes short: the first chunk now
    // starts inside the 16-byte mdat header.
    const unshifted = Buffer.concat([file.subarray(0, mdat.start), large, file.subarray(mdat.start + 8, mdat.end), file.subarray(moov.start)]);
    expect(measure(Buffer.concat([unshifted, noise(8192, 2)])).status).not.toBe('complete');
  });

  it('steps over a maker box it does not know inside the file, and not after it', () => {
    const file = corpus('android6_gps.mp4');
    const [ft] = rawBoxes(file);
    const maker = Buffer.alloc(40, 0x11);
    maker.writeUInt32BE(40, 0);
    maker.write('Xmkr', 4, 'latin1');
    const withMaker = shiftChunkOffsets(Buffer.concat([file.subarray(0, ft.end), maker, file.subarray(ft.end)]), 40);
    expect(measure(Buffer.concat([withMaker, noise(8192, 11)]))).toEqual({ status: 'complete', length: file.length + 40 });
    // After the file proper an unknown box is where the next thing on the card begins.
    expect(measure(Buffer.concat([file, maker, noise(8192, 12)]))).toEqual({ status: 'complete', length: file.length });
  });

  it('bounds an mdat of size 0 (to the end) by the sample tables when moov comes first', () => {
    const file = Buffer.from(corpus('apple_coremedia_moov_first.mp4'));
    const mdat = rawBoxes(file).find((b) => b.type === 'mdat')!;
    expect(mdat.end).toBe(file.length);
    file.writeUInt32BE(0, mdat.start);
    const m = measure(Buffer.concat([file, noise(65536, 3)]));
    expect(m).toEqual({ status: 'complete', length: file.length });
    // Cut before the last chunk ends: partial.
    expect(measure(file.subarray(0, file.length - 1000)).status).toBe('partial');
  });

  it('an mdat of size 0 with no sample tables before it is partial (a recording never finished)', () => {
    const file = Buffer.from(corpus('android6_gps.mp4'));
    const mdat = rawBoxes(file).find((b) => b.type === 'mdat')!;
    file.writeUInt32BE(0, mdat.start);
    const m = measure(Buffer.concat([file, noise(65536, 4)]));
    expect(m.status).toBe('partial');
    expect(m.length).toBe(mdat.start + 8);
  });

  it('an mdat-first video whose moov was overwritten is partial up to the end of its mdat', () => {
    const file = corpus('gopro_karma.mp4');
    const moov = rawBoxes(file).find((b) => b.type === 'moov')!;
    const m = measure(Buffer.concat([file.subarray(0, moov.start), noise(200_000, 5)]));
    expect(m.status).toBe('partial');
    expect(m.length).toBe(moov.start);
  });
});

describe('fragmented mp4', () => {
  const names = ['frag_base_moof.mp4', 'frag_base_offset.mp4', 'frag_sidx_mfra.mp4'];

  it('maps every fragment run onto its own mdat payload', () => {
    for (const n of names) {
      const file = fixture(n);
      const mdats = rawBoxes(file).filter((b) => b.type === 'mdat');
      const map = chunkMap(bufferReader(file))!;
      expect({ n, map }).toEqual({ n, map: mdats.map((b) => ({ offset: b.start + 8, length: b.end - b.start - 8 })) });
    }
  });

  it('catches fragment runs whose data offsets point outside the mdat', () => {
    for (const n of names) {
      const file = Buffer.from(fixture(n));
      const runs = findAll(file, 'trun');
      expect(runs.length).toBeGreaterThan(0);
      for (const t of runs) {
        expect(file.readUInt32BE(t.start + 8) & 1).toBe(1);
        file.writeInt32BE(file.readInt32BE(t.start + 16) + 0x100000, t.start + 16);
      }
      expect({ n, status: measure(Buffer.concat([file, noise(4096, 6)])).status }).not.toEqual({ n, status: 'complete' });
    }
  });

  it('a movie that announces fragments but has none is partial', () => {
    const file = fixture('frag_base_moof.mp4');
    const moov = rawBoxes(file).find((b) => b.type === 'moov')!;
    const m = measure(Buffer.concat([file.subarray(0, moov.end), noise(8192, 7)]));
    expect(m.status).toBe('partial');
  });

  it('a segment index shows fragments lost after a clean box boundary', () => {
    const file = fixture('frag_sidx_mfra.mp4');
    const boxes = rawBoxes(file);
    const secondMoof = boxes.filter((b) => b.type === 'moof')[1];
    const mfra = boxes.find((b) => b.type === 'mfra')!;
    const m = measure(Buffer.concat([file.subarray(0, secondMoof.start), noise(8192, 8)]));
    expect(m).toMatchObject({ status: 'partial', length: secondMoof.start, expectedLength: mfra.start });
  });

  it('the mfra at the end is kept, and cut it is partial', () => {
    for (const n of names) {
      const file = fixture(n);
      const mfra = rawBoxes(file).at(-1)!;
      expect(mfra.type).toBe('mfra');
      const m = measure(Buffer.concat([file, Buffer.alloc(4096)]));
      expect(sha256(Buffer.concat([file, Buffer.alloc(4096)]).subarray(0, m.length))).toBe(sha256(file));
      expect(measure(file.subarray(0, mfra.start + 20)).status).toBe('partial');
      // An mfra whose closing mfro gives another size is not this file's: the file ends before it.
      const wrong = Buffer.from(file);
      wrong.writeUInt32BE(mfra.end - mfra.start + 4, mfra.end - 4);
      expect(measure(Buffer.concat([wrong, noise(4096, 10)]))).toEqual({ status: 'complete', length: mfra.start });
    }
  });

  it('a real muxer bug (ffmpeg global_sidx without empty_moov: data offsets 64 bytes off) is not complete', () => {
    const file = fixture('ffmpeg_global_sidx_broken.mp4');
    const m = measure(Buffer.concat([file, noise(4096, 9)]));
    expect(m.status).toBe('partial');
    expect(m.reason).toMatch(/outside the media data/);
  });
});
