// The directory entry's size as a hint: agreeing to the byte skips decoding; anything else
// falls back to the full check, so a hint can never make a damaged file complete by itself.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jpeg } from '../../src/carver/formats/jpeg.ts';
import { bufferReader } from '../../src/core/readers.ts';
import { CORPUS } from '../helpers/corpus.ts';

const bytes = fs.readFileSync(path.join(CORPUS, 'media/canon_sx60hs.jpg'));
const probe = jpeg.probe(bytes.subarray(0, 4096))!;

describe('measure hint', () => {
  it('a matching size gives the same verdict as a full decode', () => {
    const padded = bufferReader(Buffer.concat([bytes, Buffer.alloc(8192)]));
    expect(jpeg.measure(padded, probe, { expectedLength: bytes.length })).toMatchObject({ status: 'complete', length: bytes.length });
    expect(jpeg.measure(padded, probe)).toMatchObject({ status: 'complete', length: bytes.length });
  });

  it('a size that does not match falls back to decoding', () => {
    const padded = bufferReader(Buffer.concat([bytes, Buffer.alloc(8192)]));
    expect(jpeg.measure(padded, probe, { expectedLength: bytes.length + 4096 })).toMatchObject({ status: 'complete', length: bytes.length });
  });

  it('a truncated file is not complete whatever the hint says', () => {
    const cut = bufferReader(bytes.subarray(0, bytes.length >> 1));
    expect(jpeg.measure(cut, probe, { expectedLength: bytes.length }).status).not.toBe('complete');
  });
});
