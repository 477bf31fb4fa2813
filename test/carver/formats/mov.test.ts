// QuickTime MOV: the 'qt  ' brand, the 'wide' placeholder, sound tracks with fixed-size samples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferReader } from '../../../src/core/readers.ts';
import { mov } from '../../../src/carver/formats/mov.ts';
import { mp4 } from '../../../src/carver/formats/mp4.ts';
import { heic } from '../../../src/carver/formats/heic.ts';
import { chunkMap } from '../../../src/carver/formats/isobmff.ts';
import { CORPUS_MEDIA, FIXTURES, noise, rawBoxes } from './isobmff-helpers.ts';

const measure = (b: Buffer) => mov.measure(bufferReader(b), mov.probe(b)!);

describe('mov', () => {
  it('claims only the qt brand', () => {
    const head = readFileSync(join(CORPUS_MEDIA, 'iphone6_gps.mov')).subarray(0, 4096);
    expect(mov.probe(head)).toEqual({ format: 'mov', ext: 'mov', brand: 'qt  ' });
    expect(mp4.probe(head)).toBeNull();
    expect(heic.probe(head)).toBeNull();
    const isom = Buffer.from(head);
    isom.write('isom', 8, 'latin1');
    isom.write('isom', 16, 'latin1');
    expect(mov.probe(isom)).toBeNull();
    expect(mov.id).toBe('mov');
    expect(mov.maxSize).toBe(64 * 1024 ** 3);
  });

  it('an iPhone MOV (ftyp wide mdat moov) ends after its moov; the wide box is part of it', () => {
    const file = readFileSync(join(CORPUS_MEDIA, 'iphone6_gps.mov'));
    expect(rawBoxes(file).map((b) => b.type)).toEqual(['ftyp', 'wide', 'mdat', 'moov']);
    expect(measure(Buffer.concat([file, noise(4096, 1)]))).toEqual({ status: 'complete', length: file.length });
    const noWide = Buffer.from(file);
    noise(8, 2).copy(noWide, 20);
    expect(measure(noWide).status).toBe('invalid');
  });

  it('Motion-JPEG video: every frame must start as a JPEG, and 8-bit PCM chunks are sized', () => {
    const file = readFileSync(join(FIXTURES, 'mjpeg_pcm.mov'));
    expect(measure(Buffer.concat([file, noise(4096, 3)]))).toEqual({ status: 'complete', length: file.length });
    const mdat = rawBoxes(file).find((b) => b.type === 'mdat')!;
    const frames: number[] = [];
    for (let p = file.indexOf(Buffer.from([0xff, 0xd8, 0xff]), mdat.start); p >= 0 && p < mdat.end; p = file.indexOf(Buffer.from([0xff, 0xd8, 0xff]), p + 1)) frames.push(p);
    expect(frames.length).toBe(5);
    const copy = Buffer.from(file);
    copy.fill(0, frames[3], frames[3] + 2);
    const m = measure(Buffer.concat([copy, noise(4096, 4)]));
    expect(m.status).toBe('partial');
    expect(m.length).toBeLessThanOrEqual(frames[3]);
    expect(m.length).toBeGreaterThanOrEqual(frames[2]);
  });

  it('sizes PCM sound chunks from the sample size, so they must fit the mdat', () => {
    const file = readFileSync(join(FIXTURES, 'pcm_audio.mov'));
    const mdat = rawBoxes(file).find((b) => b.type === 'mdat')!;
    expect(chunkMap(bufferReader(file))).toEqual([{ offset: mdat.start + 8, length: mdat.end - mdat.start - 8 }]);
    // Shrink the mdat by eight bytes (a free box takes them, so the moov stays put): the last chunk no longer fits.
    const short = Buffer.from(file);
    short.writeUInt32BE(mdat.end - mdat.start - 8, mdat.start);
    short.writeUInt32BE(8, mdat.end - 8);
    short.write('free', mdat.end - 4, 'latin1');
    expect(measure(short).status).not.toBe('complete');
  });
});
