// The NAL framing check on hand-built samples: what passes, what does not, and where it says
// the file stops being itself.
import { describe, expect, it } from 'vitest';
import { bufferReader } from '../../../src/core/readers.ts';
import { checkSamples } from '../../../src/carver/formats/isobmff-nal.ts';
import type { NalSamples } from '../../../src/carver/formats/isobmff-samples.ts';
import { noise } from './isobmff-helpers.ts';

/** One sample made of NAL units: [4-byte length][header][payload]... */
function sample(nals: { header: number[]; size: number }[]): Buffer {
  return Buffer.concat(
    nals.map((n) => {
      const body = Buffer.concat([Buffer.from(n.header), noise(n.size - n.header.length, n.size)]);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      return Buffer.concat([len, body]);
    }),
  );
}

function track(samples: Buffer[], hevc: boolean, start = 0): { data: Buffer; t: NalSamples } {
  const t: NalSamples = { codec: { lengthSize: 4, hevc }, offsets: [], sizes: [] };
  let p = start;
  for (const s of samples) {
    t.offsets.push(p);
    t.sizes.push(s.length);
    p += s.length;
  }
  return { data: Buffer.concat([Buffer.alloc(start), ...samples]), t };
}

describe('NAL framing check', () => {
  const avc = [
    sample([{ header: [0x06], size: 300 }, { header: [0x65], size: 5000 }]), // SEI of 300 bytes (00 00 01 2c), IDR slice
    sample([{ header: [0x41], size: 1200 }]),
    sample([{ header: [0x09], size: 2 }, { header: [0x41], size: 800 }]),
    sample([{ header: [0x41], size: 900 }]),
  ];

  it('passes H.264 samples whose NAL lengths tile them exactly', () => {
    const { data, t } = track(avc, false, 100);
    expect(checkSamples(bufferReader(data), [t])).toEqual({ bad: -1, lastGood: t.offsets[3], checked: 4 });
  });

  it("finds the first sample that is another file's bytes, and the last good one before it", () => {
    const { data, t } = track(avc, false, 100);
    for (const fill of [noise(t.sizes[2], 1), Buffer.alloc(t.sizes[2]), Buffer.alloc(t.sizes[2], 0xff)]) {
      const copy = Buffer.from(data);
      fill.copy(copy, t.offsets[2]);
      expect(checkSamples(bufferReader(copy), [t])).toMatchObject({ bad: t.offsets[2], lastGood: t.offsets[1] });
    }
  });

  it('HEVC: a zero temporal id or the forbidden bit fails; Dolby Vision RPU (type 62) passes', () => {
    const good = sample([{ header: [0x26, 0x01], size: 400 }, { header: [0x7c, 0x01], size: 90 }]);
    expect(checkSamples(bufferReader(track([good], true).data), [track([good], true).t]).bad).toBe(-1);
    for (const header of [[0x26, 0x00], [0xa6, 0x01]]) {
      const bad = sample([{ header, size: 400 }]);
      const { data, t } = track([good, bad], true);
      expect({ header, bad: checkSamples(bufferReader(data), [t]).bad }).toEqual({ header, bad: t.offsets[1] });
    }
  });

  it('accepts a few zero bytes of padding after the last NAL unit, not a sample of zeros', () => {
    const padded = Buffer.concat([sample([{ header: [0x41], size: 700 }]), Buffer.alloc(3)]);
    const { data, t } = track([padded, Buffer.alloc(200)], false);
    expect(checkSamples(bufferReader(data), [t])).toMatchObject({ bad: t.offsets[1], lastGood: t.offsets[0] });
  });

  it('skips a track written with Annex B start codes instead of lengths', () => {
    const annexB = Buffer.concat([Buffer.from([0, 0, 0, 1, 0x67]), noise(40, 2), Buffer.from([0, 0, 0, 1, 0x65]), noise(900, 3)]);
    const { data, t } = track([annexB, annexB], false);
    expect(checkSamples(bufferReader(data), [t]).bad).toBe(-1);
  });

  it('samples past the end of the reader are no evidence either way', () => {
    const { data, t } = track(avc, false);
    expect(checkSamples(bufferReader(data.subarray(0, t.offsets[2] + 10)), [t])).toEqual({ bad: -1, lastGood: t.offsets[1], checked: 2 });
  });
});
