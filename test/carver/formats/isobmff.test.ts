// Every real, synthetic and fixture HEIC/MP4/MOV must be found whole, to the byte, whatever
// follows it on the card; cut or damaged copies must never be called complete.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferReader } from '../../../src/core/readers.ts';
import type { ByteReader } from '../../../src/core/types.ts';
import { ALL_FORMATS } from '../../../src/core/types.ts';
import type { Measurement } from '../../../src/carver/format.ts';
import { probeAny } from '../../../src/carver/registry.ts';
import { boxLayout, chunkMap, indexRanges } from '../../../src/carver/formats/isobmff.ts';
import {
  CORPUS_MEDIA, FIXTURES, type MediaFile, SYNTH, findAll, listMedia, noise, rawBoxes, sha256, shiftChunkOffsets, synthReady,
} from './isobmff-helpers.ts';

const real = listMedia(CORPUS_MEDIA);
const fixtures = listMedia(FIXTURES).filter((f) => !f.name.includes('broken'));
const JPEG = readFileSync(join(CORPUS_MEDIA, 'canon_g9.jpg'));

function measure(buf: Buffer): Measurement & { format?: string; ext?: string } {
  const hit = probeAny(buf.subarray(0, 4096), ALL_FORMATS);
  if (!hit) return { status: 'invalid', length: 0, reason: 'no probe' };
  return { ...hit.module.measure(bufferReader(buf), hit.probe), format: hit.module.id, ext: hit.probe.ext };
}

/** Boxes that only follow the file proper (a Samsung 'sefd', an 'mfra'): losing one shortens a complete file. */
function trailingBoxes(file: Buffer): Set<number> {
  const boxes = rawBoxes(file);
  let lastCore = 0;
  boxes.forEach((b, i) => {
    if (['moov', 'meta', 'mdat', 'moof'].includes(b.type)) lastCore = i;
  });
  return new Set(boxes.filter((_, i) => i > lastCore).map((b) => b.start));
}

/** Merge several range lists (sorted, touching ranges joined) the way the module reports them. */
function mergeAll(lists: readonly (readonly { offset: number; length: number }[] | null)[]): { offset: number; length: number }[] {
  const all = lists.flatMap((l) => l ?? []).sort((a, b) => a.offset - b.offset);
  const out: { offset: number; length: number }[] = [];
  for (const r of all) {
    const last = out.at(-1);
    if (last && r.offset <= last.offset + last.length) last.length = Math.max(last.length, r.offset + r.length - last.offset);
    else out.push({ ...r });
  }
  return out;
}

function suite(files: readonly MediaFile[]): void {
  files.forEach((f, i) => {
    const bytes = (): Buffer => readFileSync(f.path);
    const other = files[(i + 1) % files.length];

    it(`${f.name}: probes as ${f.format} (.${f.ext})`, () => {
      const m = measure(bytes());
      expect([m.format, m.ext]).toEqual([f.format, f.ext]);
    });

    it(`${f.name}: complete and byte-exact whatever follows it`, () => {
      const file = bytes();
      const want = sha256(file);
      const tails = { noise: noise(65536, i + 1), zeros: Buffer.alloc(65536), nextFile: readFileSync(other.path), jpeg: JPEG };
      for (const [what, tail] of Object.entries(tails)) {
        const buf = Buffer.concat([file, tail]);
        const m = measure(buf);
        expect({ what, status: m.status, length: m.length }).toEqual({ what, status: 'complete', length: file.length });
        expect(sha256(buf.subarray(0, m.length))).toBe(want);
      }
    });

    it(`${f.name}: cut short, it is partial and never complete`, () => {
      const file = bytes();
      const points = new Set<number>([file.length - 1, Math.floor(file.length / 2)]);
      for (const b of rawBoxes(file)) if (b.end - b.start >= 16 && b.type !== 'ftyp') points.add(b.start + Math.floor((b.end - b.start) / 2));
      for (const at of points) {
        const m = measure(file.subarray(0, at));
        expect({ at, status: m.status }).toEqual({ at, status: 'partial' });
        expect(m.length).toBeLessThanOrEqual(at);
        if (m.expectedLength !== undefined) expect(m.expectedLength).toBeGreaterThan(at);
      }
    });

    it(`${f.name}: a garbled box header is never taken for the whole file`, () => {
      const file = bytes();
      const trailing = trailingBoxes(file);
      const fragmented = findAll(file, 'moof').length > 0;
      rawBoxes(file).slice(1).forEach((b, k) => {
        // A fragment boundary cut without a segment index is indistinguishable from an end.
        if (fragmented && rawBoxes(file).slice(1, k + 1).some((x) => x.type === 'moof')) return;
        const copy = Buffer.from(file);
        noise(8, 1000 + k).copy(copy, b.start);
        const m = measure(Buffer.concat([copy, noise(4096, 7)]));
        if (trailing.has(b.start)) expect({ box: b.type, status: m.status, length: m.length }).toEqual({ box: b.type, status: 'complete', length: b.start });
        else expect({ box: b.type, at: b.start, status: m.status }).not.toEqual({ box: b.type, at: b.start, status: 'complete' });
      });
    });

    it(`${f.name}: the media data map lies inside its mdat boxes`, () => {
      const file = bytes();
      const map = chunkMap(bufferReader(file));
      expect(map).not.toBeNull();
      expect(map!.length).toBeGreaterThan(0);
      const mdats = rawBoxes(file).filter((b) => b.type === 'mdat');
      let last = -1;
      for (const r of map!) {
        expect(r.offset).toBeGreaterThan(last);
        last = r.offset + r.length;
        expect(mdats.some((m) => r.offset >= m.start + m.header && r.offset + r.length <= m.end)).toBe(true);
      }
      // The index alone, as an assembler finding it elsewhere would read it, says the same.
      const own = rawBoxes(file).filter((b) => b.type === 'moov' || b.type === 'meta').map((b) => indexRanges(file.subarray(b.start, b.end)));
      if (findAll(file, 'moof').length === 0) expect(mergeAll(own)).toEqual(map);
      expect(boxLayout(bufferReader(file)).map((b) => `${b.type}@${b.offset}+${b.size}`)).toEqual(
        rawBoxes(file).map((b) => `${b.type}@${b.start}+${b.end - b.start}`),
      );
    });

    it(`${f.name}: 64 KiB of other data where its media data starts is caught`, () => {
      const file = bytes();
      const mdat = rawBoxes(file).filter((b) => b.type === 'mdat').sort((a, b) => b.end - b.start - (a.end - a.start))[0];
      const at = mdat.start + mdat.header;
      const len = Math.min(65536, mdat.end - at);
      for (const [what, fill] of [['noise', noise(len, 77 + i)], ['zeros', Buffer.alloc(len)], ['jpeg', JPEG.subarray(4096, 4096 + len)]] as const) {
        const copy = Buffer.from(file);
        fill.copy(copy, at);
        const m = measure(Buffer.concat([copy, noise(4096, 8)]));
        expect({ what, status: m.status }).toEqual({ what, status: 'partial' });
        // What is kept is the original's own bytes.
        expect(m.length).toBeLessThanOrEqual(at + len);
        expect(sha256(copy.subarray(0, m.length))).toBe(sha256(file.subarray(0, m.length)));
      }
    });

    const indexAfterData = (file: Buffer): boolean => {
      const boxes = rawBoxes(file);
      return boxes.findIndex((b) => b.type === 'moov' || b.type === 'meta') > boxes.findIndex((b) => b.type === 'mdat');
    };
    // (Index-first files are covered by the NAL check above.)
    if (indexAfterData(readFileSync(f.path))) it(`${f.name}: with its index overwritten, what comes before it is kept, up to another file's start`, () => {
      const file = bytes();
      const boxes = rawBoxes(file);
      const index = boxes.find((b) => b.type === 'moov' || b.type === 'meta')!;
      const firstMdat = boxes.find((b) => b.type === 'mdat')!;
      const copy = Buffer.concat([file.subarray(0, index.start), noise(65536, 30 + i)]);
      const m = measure(copy);
      expect({ status: m.status, length: m.length }).toEqual({ status: 'partial', length: index.start });
      // Another file starting on a sector inside the media data bounds what is believed.
      const at = Math.ceil((firstMdat.start + (index.start - firstMdat.start) / 2) / 512) * 512;
      for (const other of [JPEG, readFileSync(join(CORPUS_MEDIA, 'iphone8.heic'))]) {
        const card = Buffer.from(copy);
        other.subarray(0, 4096).copy(card, at);
        expect(measure(card)).toMatchObject({ status: 'partial', length: at });
      }
      // So does space never written (zeros), which coded video cannot contain.
      const at4k = Math.ceil(at / 4096) * 4096;
      if (at4k + 4096 <= index.start) {
        const card = Buffer.from(copy);
        card.fill(0, at4k, at4k + 4096);
        expect(measure(card)).toMatchObject({ status: 'partial', length: at4k });
      }
    });

    if (findAll(readFileSync(f.path), 'moof').length === 0 && findAll(readFileSync(f.path), 'trak').length > 0) {
      it(`${f.name}: chunk offsets moved outside the media data are caught`, () => {
        const file = bytes();
        for (const delta of [file.length, 0x8000_0000]) {
          const m = measure(Buffer.concat([shiftChunkOffsets(file, delta), noise(4096, 3)]));
          expect(m.status).not.toBe('complete');
        }
      });
    }
  });
}

describe('ISO-BMFF on the real corpus (shared/corpus/media)', () => {
  it('finds the corpus', () => {
    expect(real.length).toBeGreaterThanOrEqual(18);
  });
  suite(real);
});

describe('ISO-BMFF on committed fixtures (fragmented MP4, PCM and Motion-JPEG MOV, H.263 and MPEG-4 3GP)', () => {
  it('finds the fixtures', () => {
    expect(fixtures.map((f) => f.name)).toEqual(['frag_base_moof.mp4', 'frag_base_offset.mp4', 'frag_sidx_mfra.mp4', 'h263_aac.3gp', 'mjpeg_pcm.mov', 'mpeg4_part2.3gp', 'pcm_audio.mov']);
  });
  suite(fixtures);
});

describe.runIf(synthReady())('ISO-BMFF on the synthetic corpus (corpus-out/synth)', () => {
  suite(listMedia(SYNTH));
});

describe('a file whose clusters stop being its own (index first, then media data)', () => {
  // On a card, a deleted file's next cluster may hold another file: the structure still looks
  // whole (the index is at the front), so only the coded pictures can tell.
  for (const name of ['apple_coremedia_moov_first.mp4', 'iphone8.heic', 'iphone13promax_b.heic', 'nokiatech_collection.heic']) {
    it(`${name}: measured over a break at 1/2 of the file, it is partial and keeps only its own bytes`, () => {
      const file = readFileSync(join(CORPUS_MEDIA, name));
      const at = Math.floor(file.length / 2 / 4096) * 4096;
      for (const [what, tail] of [['jpeg', JPEG], ['noise', noise(file.length, 3)], ['itself', file]] as const) {
        const card = Buffer.concat([file.subarray(0, at), tail, noise(65536, 4)]);
        const m = measure(card);
        expect({ what, status: m.status, expectedLength: m.expectedLength }).toEqual({ what, status: 'partial', expectedLength: file.length });
        // Another file's start on the sector where the break is gives the break exactly.
        if (what === 'noise') expect(m.length).toBeLessThanOrEqual(at);
        else expect(m.length).toBe(at);
        expect(m.length).toBeGreaterThan(at - 256 * 1024);
        expect(sha256(card.subarray(0, m.length))).toBe(sha256(file.subarray(0, m.length)));
      }
    });
  }
});

describe('ISO-BMFF on junk', () => {
  const ftyp = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from(`ftyp${brand}\0\0\0\0${brand}`, 'latin1')]);

  it('random bytes after a valid ftyp are invalid, not a file', () => {
    for (const [k, brand] of ['heic', 'isom', 'qt  ', '3gp5', 'mif1'].entries()) {
      const m = measure(Buffer.concat([ftyp(brand), noise(1 << 20, 50 + k)]));
      expect(m.status).toBe('invalid');
    }
  });

  it('an ftyp alone is invalid; an ftyp cut short is partial', () => {
    expect(measure(Buffer.concat([ftyp('isom'), Buffer.alloc(4096)])).status).toBe('invalid');
    const head = Buffer.from(readFileSync(join(CORPUS_MEDIA, 'iphone8.heic')).subarray(0, 20));
    expect(measure(head).status).toBe('partial');
  });

  it('a 64-bit box size far past any limit is bounded', () => {
    for (const size of [0xffff_ffff_ffff_ffffn, 1n << 62n, 65n << 30n, 20n]) {
      const big = Buffer.alloc(16);
      big.writeUInt32BE(1, 0);
      big.write('mdat', 4, 'latin1');
      big.writeBigUInt64BE(size, 8);
      const m = measure(Buffer.concat([ftyp('isom'), big, noise(8192, 9)]));
      expect(m.status).not.toBe('complete');
    }
  });

  it('a reader of 1 TiB full of tiny boxes stops at the box limit', () => {
    const head = ftyp('isom');
    const free = Buffer.from('00000008667265650000000866726565', 'hex');
    let reads = 0;
    const reader: ByteReader = {
      size: 2 ** 40,
      read(position, length) {
        reads++;
        const out = Buffer.alloc(Math.max(0, Math.min(length, this.size - position)));
        for (let i = 0; i < out.length; i++) {
          const p = position + i;
          out[i] = p < head.length ? head[p] : free[(p - head.length) % 8];
        }
        return out;
      },
    };
    const hit = probeAny(head, ALL_FORMATS)!;
    const m = hit.module.measure(reader, hit.probe);
    expect(m.status).toBe('invalid');
    expect(reads).toBeLessThan(200_000);
  });

  it('damaged indexes (random bytes in every moov/meta of the corpus) are judged without internal errors', () => {
    const statuses = new Set<string>();
    real.forEach((f, n) => {
      const file = readFileSync(f.path);
      const index = rawBoxes(file).filter((b) => b.type === 'moov' || b.type === 'meta');
      for (let k = 0; k < 40; k++) {
        const copy = Buffer.from(file);
        const r = noise(96, 9000 + n * 100 + k);
        for (let j = 0; j < 1 + (k % 12); j++) {
          const b = index[r[j * 6] % index.length];
          copy[b.start + 8 + (r.readUInt32BE(j * 6 + 1) % (b.end - b.start - 8))] = r[j * 6 + 5];
        }
        const m = measure(copy);
        expect(m.reason ?? '').not.toMatch(/unreadable structure/);
        expect(m.length).toBeLessThanOrEqual(copy.length);
        statuses.add(m.status);
      }
    });
    expect([...statuses].sort()).toEqual(['complete', 'partial']);
  });

  it('mutated files never throw and stay within the reader', () => {
    const base = readFileSync(join(FIXTURES, 'frag_sidx_mfra.mp4'));
    const heif = readFileSync(join(CORPUS_MEDIA, 'nokiatech_grid.heic')).subarray(0, 4096);
    for (let k = 0; k < 600; k++) {
      const src = k % 2 === 0 ? base : heif;
      const copy = Buffer.from(src);
      const r = noise(64, 5000 + k);
      for (let j = 0; j < 8; j++) copy[(r.readUInt32BE(j * 4) % (copy.length - 8)) + 8] = r[32 + j];
      const m = measure(copy);
      expect(['complete', 'partial', 'invalid']).toContain(m.status);
      expect(m.reason ?? '').not.toMatch(/unreadable structure/);
      expect(m.length).toBeLessThanOrEqual(copy.length);
      expect(() => chunkMap(bufferReader(copy))).not.toThrow();
    }
  });
});
