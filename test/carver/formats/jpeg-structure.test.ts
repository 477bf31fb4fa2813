// The JPEG module's structure handling: probe, false hits, EXIF thumbnails, MPF, restarts,
// and the decoder's verdict on foreign data behind a real header.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedRanges, jpeg, jpegContinue, jpegDecodeUntilFailure, jpegResumePoint, jpegResumePoints } from '../../../src/carver/formats/jpeg.ts';
import { bufferReader, extentReader, sliceReader } from '../../../src/core/readers.ts';
import type { ByteReader } from '../../../src/core/types.ts';
import { FORMATS, probeAny } from '../../../src/carver/registry.ts';
import { buildMotionPhoto, buildMpf, entropyStart, exifThumbnail, FIXTURE_DIR, jpegsIn, MEDIA_DIR, noise, segments, sha256, stripApps } from './jpeg-helpers.ts';

const media = jpegsIn(MEDIA_DIR);
const byName = (n: string): Buffer => {
  const f = media.find((m) => m.name === n);
  if (!f) throw new Error(`corpus file ${n} missing`);
  return f.bytes;
};

describe('jpeg module declaration', () => {
  it('is registered with its id, extension, mime and FF D8 FF signature', () => {
    const m = FORMATS.find((f) => f.id === 'jpeg')!;
    expect(m).toBe(jpeg);
    expect([m.ext, m.mime]).toEqual(['jpg', 'image/jpeg']);
    expect(m.signatures).toEqual([{ offset: 0, bytes: Uint8Array.of(0xff, 0xd8, 0xff) }]);
    expect(m.maxSize).toBe(64 * 1024 * 1024);
  });
});

describe('jpeg probe', () => {
  it('accepts the head of every corpus JPEG', () => {
    expect(media.length).toBeGreaterThan(0);
    for (const { name, bytes } of media) expect(jpeg.probe(bytes.subarray(0, 4096)), name).not.toBeNull();
  });

  it('names the coding when the frame header is in the head', () => {
    expect(jpeg.probe(byName('jolla_phone.jpg').subarray(0, 4096))?.brand).toBe('baseline');
    const prog = stripApps(byName('nikon_d300_progressive.jpg'));
    expect(probeAny(prog.subarray(0, 4096), ['jpeg'])?.probe).toEqual({ format: 'jpeg', ext: 'jpg', brand: 'progressive' });
    // Without its APP segments the progressive file is still a whole JPEG.
    const m = jpeg.measure(bufferReader(prog), { format: 'jpeg', ext: 'jpg' });
    expect([m.status, m.length]).toEqual(['complete', prog.length]);
  });

  it('rejects junk after SOI', () => {
    const bad = [
      [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00, 0, 0], // length 0
      [0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x01, 0x02, 0x03, 0x04], // APP1 with a binary identifier
      [0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0], // SOS before a frame header
      [0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0], // EOI right away
      [0xff, 0xd8, 0xff, 0x00, 0, 0, 0, 0],
      [0xff, 0xd8, 0xff, 0xdb, 0x00, 0x05, 0x00, 0x00, 0x00], // DQT far too short
      [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x07], // SOF with 7 components
    ];
    for (const b of bad) expect(jpeg.probe(Buffer.concat([Buffer.from(b), Buffer.alloc(64)]))).toBeNull();
  });

  it('rejects random heads behind FF D8 FF', () => {
    let accepted = 0;
    for (let s = 0; s < 2000; s++) {
      const head = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), noise(4093, 5000 + s)]);
      if (jpeg.probe(head)) accepted++;
    }
    // A random marker byte and length pass only by chance, and then the next segment must too.
    expect(accepted).toBeLessThan(10);
  });
});

describe('jpeg measure on false hits', () => {
  it('says invalid (not complete) for random and zero data behind FF D8 FF E0, without throwing', () => {
    for (let s = 0; s < 200; s++) {
      for (const body of [noise(256 * 1024, 9000 + s), Buffer.alloc(256 * 1024)]) {
        const b = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), body]);
        const m = jpeg.measure(bufferReader(b), { format: 'jpeg', ext: 'jpg' });
        expect(m.status).not.toBe('complete');
      }
    }
  });

  it('says invalid for a JFIF header with no frame and no scan', () => {
    const app0 = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
    expect(jpeg.measure(bufferReader(app0), { format: 'jpeg', ext: 'jpg' }).status).toBe('invalid');
  });

  it('finds the end of the real data when a real header is followed by noise', () => {
    for (const { name, bytes } of media) {
      const start = entropyStart(bytes);
      const b = Buffer.concat([bytes.subarray(0, start), noise(512 * 1024, start)]);
      const m = jpeg.measure(bufferReader(b), { format: 'jpeg', ext: 'jpg' });
      expect(m.status, name).toBe('partial');
      // The decoder notices within a few sectors of the first foreign byte.
      expect(m.length, name).toBeLessThanOrEqual(start + 4096);
      expect(m.length, name).toBeGreaterThanOrEqual(Math.floor(start / 512) * 512);
    }
  });
});

describe('jpeg measure on damaged real files', () => {
  it('never throws and keeps lengths inside the data, for 400 files with random bytes changed', () => {
    const files = [...media, ...jpegsIn(FIXTURE_DIR)];
    for (let it = 0; it < 400; it++) {
      const c = Buffer.from(files[it % files.length].bytes);
      const rnd = noise(64, it);
      for (let j = 0; j < 1 + (rnd[0] % 8); j++) {
        // Half of the changes land in the first 20 KB, where the marker segments are.
        const region = rnd[1 + j] % 2 === 0 ? Math.min(c.length, 20_000) : c.length;
        c[rnd.readUInt32LE(16 + 4 * j) % region] = rnd[40 + j];
      }
      const m = jpeg.measure(bufferReader(c), { format: 'jpeg', ext: 'jpg' });
      expect(['complete', 'partial', 'invalid']).toContain(m.status);
      expect(m.length).toBeGreaterThanOrEqual(0);
      expect(m.length).toBeLessThanOrEqual(c.length);
      for (const r of embeddedRanges(bufferReader(c))) expect(r.offset + r.length).toBeLessThanOrEqual(c.length);
    }
  });
});

describe('jpeg: EXIF thumbnails and embedded JPEGs', () => {
  const withThumb = media.filter((m) => exifThumbnail(m.bytes) !== null);

  it('has corpus files with an EXIF thumbnail', () => {
    expect(withThumb.length).toBeGreaterThanOrEqual(10);
  });

  it("lists each EXIF thumbnail (found by its IFD1 tags) as an embedded range inside APP1", () => {
    for (const { name, bytes } of withThumb) {
      const t = exifThumbnail(bytes)!;
      const ranges = embeddedRanges(bufferReader(bytes));
      const hit = ranges.find((r) => r.offset <= t.offset && t.offset + t.length <= r.offset + r.length);
      expect(hit, name).toBeDefined();
      expect(hit!.kind).toBe('app');
      expect(hit!.offset + hit!.length, name).toBeLessThanOrEqual(t.appEnd);
    }
  });

  it('measures the thumbnail as a whole JPEG by itself, ending inside the parent', () => {
    for (const { name, bytes } of withThumb) {
      const t = exifThumbnail(bytes)!;
      const thumb = bytes.subarray(t.offset, t.offset + t.length);
      const p = jpeg.probe(thumb.subarray(0, 4096));
      expect(p, name).not.toBeNull();
      // Read as the rest of the medium from the thumbnail's SOI on.
      const m = jpeg.measure(sliceReader(bufferReader(bytes), t.offset), p!);
      expect(m.status, name).toBe('complete');
      // Cameras sometimes pad the thumbnail; the JPEG itself ends at or before the tagged length.
      expect(m.length, name).toBeLessThanOrEqual(t.length);
      expect(t.offset + m.length).toBeLessThan(bytes.length);
    }
  });

  it('does not end the parent at the thumbnail EOI', () => {
    for (const { name, bytes } of withThumb) {
      const m = jpeg.measure(bufferReader(bytes), { format: 'jpeg', ext: 'jpg' });
      expect([name, m.status, m.length]).toEqual([name, 'complete', bytes.length]);
    }
  });
});

describe('jpeg: MPF (multi-picture) files', () => {
  const primary = byName('canon_g9.jpg');
  const secondary = byName('sony_cybershot.jpg');
  const { file, secondaryAt } = buildMpf(primary, secondary);

  it('ends after the last image the MP index lists', () => {
    const tail = Buffer.concat([file, noise(100_000, 1)]);
    const m = jpeg.measure(bufferReader(tail), jpeg.probe(tail.subarray(0, 4096))!);
    expect([m.status, m.length]).toEqual(['complete', file.length]);
    expect(sha256(tail.subarray(0, m.length))).toBe(sha256(file));
    const r = embeddedRanges(bufferReader(file)).filter((e) => e.kind === 'mpf');
    expect(r).toEqual([{ offset: secondaryAt, length: secondary.length, kind: 'mpf' }]);
  });

  it('is the first image alone, noted, when the secondary image is not where the index says', () => {
    const broken = Buffer.concat([file.subarray(0, secondaryAt), noise(secondary.length, 2)]);
    const m = jpeg.measure(bufferReader(broken), { format: 'jpeg', ext: 'jpg' });
    expect(m.status).toBe('complete');
    expect(m.length).toBe(secondaryAt);
    expect(m.reason).toMatch(/MPF image 2 not found/);
  });

  it('is partial when the reader ends inside the secondary image', () => {
    const cut = file.subarray(0, secondaryAt + 1000);
    const m = jpeg.measure(bufferReader(cut), { format: 'jpeg', ext: 'jpg' });
    expect(m.status).toBe('partial');
    expect(m.expectedLength).toBe(file.length);
  });
});

describe('jpeg: Google motion photos (JPEG + MP4 declared in XMP)', () => {
  const photo = byName('nikon_p6000_gps.jpg');
  const video = readFileSync(join(MEDIA_DIR, 'android6_gps.mp4'));

  for (const style of ['container', 'microvideo'] as const) {
    const { file, videoAt } = buildMotionPhoto(photo, video, style);

    it(`${style}: ends after the video, not at the image's EOI`, () => {
      const tail = Buffer.concat([file, noise(70_000, 7)]);
      const m = jpeg.measure(bufferReader(tail), jpeg.probe(tail.subarray(0, 4096))!);
      expect([m.status, m.length, m.reason]).toEqual(['complete', file.length, undefined]);
      expect(sha256(tail.subarray(0, m.length))).toBe(sha256(file));
      expect(embeddedRanges(bufferReader(file)).filter((r) => r.kind === 'video')).toEqual([{ offset: videoAt, length: video.length, kind: 'video' }]);
    });

    it(`${style}: is the image alone, noted, when the video was overwritten`, () => {
      const gone = Buffer.concat([file.subarray(0, videoAt), noise(video.length, 8)]);
      const m = jpeg.measure(bufferReader(gone), { format: 'jpeg', ext: 'jpg' });
      expect([m.status, m.length]).toEqual(['complete', videoAt]);
      expect(m.reason).toMatch(/not found/);
    });

    it(`${style}: is partial when the reader ends inside the video`, () => {
      const cut = file.subarray(0, videoAt + 5000);
      const m = jpeg.measure(bufferReader(cut), { format: 'jpeg', ext: 'jpg' });
      expect([m.status, m.length, m.expectedLength]).toEqual(['partial', cut.length, file.length]);
    });
  }
});

describe('jpeg: Motion-JPEG style stills without DHT', () => {
  it('decodes with the standard (Annex K) tables when a file leaves its Huffman tables out', () => {
    // olympus_c960 uses exactly the Annex K tables, so without its DHT it is what a
    // Motion-JPEG writer would produce; decoders (libjpeg) show it the same.
    const b = byName('olympus_c960.jpg');
    const noDht = Buffer.concat(
      segments(b).reduce<Buffer[]>(
        (parts, s, i, all) => {
          if (s.marker !== 0xc4) parts.push(b.subarray(s.at, s.end));
          if (i === all.length - 1) parts.push(b.subarray(s.end));
          return parts;
        },
        [b.subarray(0, 2)],
      ),
    );
    expect(noDht.length).toBe(b.length - segments(b).filter((s) => s.marker === 0xc4).reduce((n, s) => n + s.end - s.at, 0));
    const m = jpeg.measure(bufferReader(Buffer.concat([noDht, noise(5000, 9)])), { format: 'jpeg', ext: 'jpg' });
    expect([m.status, m.length]).toEqual(['complete', noDht.length]);
    const cut = jpeg.measure(bufferReader(noDht.subarray(0, noDht.length - 3000)), { format: 'jpeg', ext: 'jpg' });
    expect(cut.status).toBe('partial');
  });
});

describe('jpeg: restart markers', () => {
  const b = byName('samsung_smg930f.jpg');
  const dri = segments(b).find((s) => s.marker === 0xdd)!;

  it('the corpus has a file with a restart interval', () => {
    expect(dri).toBeDefined();
    expect(b.readUInt16BE(dri.start)).toBeGreaterThan(0);
  });

  it('is not complete when a restart marker is out of order', () => {
    const start = entropyStart(b);
    let at = -1;
    for (let i = start + Math.floor((b.length - start) / 2); i < b.length - 1; i++) {
      if (b[i] === 0xff && b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7) {
        at = i;
        break;
      }
    }
    expect(at).toBeGreaterThan(0);
    const c = Buffer.from(b);
    c[at + 1] = 0xd0 + ((c[at + 1] - 0xd0 + 3) & 7);
    const m = jpeg.measure(bufferReader(c), { format: 'jpeg', ext: 'jpg' });
    expect(m.status).toBe('partial');
    expect(m.length).toBeLessThanOrEqual(at);
  });
});

describe('jpegDecodeUntilFailure', () => {
  it('reports ok and the end for a whole file', () => {
    const b = byName('nikon_d70s.jpg');
    expect(jpegDecodeUntilFailure(bufferReader(Buffer.concat([b, noise(5000, 3)])))).toEqual({ ok: true, goodLength: b.length, end: b.length });
  });

  it('reports the sector where a foreign block starts in a fragmented file', () => {
    const b = byName('nikon_d70s.jpg');
    const at = 400 * 1024; // a cluster boundary inside the scan data
    const c = Buffer.concat([b.subarray(0, at), noise(32 * 1024, 4), b.subarray(at)]);
    const r = jpegDecodeUntilFailure(bufferReader(c));
    expect(r.ok).toBe(false);
    expect(r.goodLength % 512).toBe(0);
    expect(r.goodLength).toBeGreaterThanOrEqual(at - 4096);
    expect(r.goodLength).toBeLessThanOrEqual(at + 4096);
    expect(r.failAt).toBeGreaterThanOrEqual(at);
  });

  it("hints where another photo's scan data was spliced in when it decodes for a while", () => {
    // Both files use the standard Huffman tables, so the foreign data decodes as valid blocks
    // for tens of KB; the rows stop lining up with the rows above right at the joint.
    const b = byName('canon_sx60hs.jpg');
    const other = byName('jolla_phone.jpg');
    for (const at of [200 * 1024, 400 * 1024]) {
      const c = Buffer.concat([b.subarray(0, at), other.subarray(entropyStart(other) + 8192)]);
      const r = jpegDecodeUntilFailure(bufferReader(c));
      expect(r.ok).toBe(false);
      expect(r.suspect).toBeDefined();
      expect(Math.abs(r.suspect! - at)).toBeLessThanOrEqual(4096);
      expect(r.suspect!).toBeLessThan(r.goodLength);
    }
  });

  it('fails closed past its size bound', () => {
    const b = byName('nikon_d70s.jpg');
    const r = jpegDecodeUntilFailure(bufferReader(b), 500_000);
    expect(r.ok).toBe(false);
    expect(r.goodLength).toBeLessThanOrEqual(500_000);
    expect(r.reason).toMatch(/longer than 500000 bytes/);
  });

  it('says the data ran out (rather than went wrong) for a truncated file', () => {
    const b = byName('canon_sd300.jpg');
    const r = jpegDecodeUntilFailure(bufferReader(b.subarray(0, 300_000)));
    expect(r).toMatchObject({ ok: false, ranOut: true, goodLength: 300_000 });
  });
});

describe('jpegResumePoint / jpegContinue (trying continuations of a fragmented JPEG)', () => {
  const cases: [string, Buffer][] = [
    ['nikon_d70s.jpg', byName('nikon_d70s.jpg')],
    ['restart_rows.jpg (restart markers)', jpegsIn(FIXTURE_DIR).find((f) => f.name === 'restart_rows.jpg')!.bytes],
  ];
  for (const [name, b] of cases) {
    it(`${name}: finds the right continuation after a 32 KiB gap and rejects the wrong one`, () => {
      const at = Math.floor((b.length * 0.6) / 4096) * 4096;
      const gap = 32 * 1024;
      const medium = bufferReader(Buffer.concat([b.subarray(0, at), noise(gap, 4), b.subarray(at)]));
      const first = jpegDecodeUntilFailure(medium);
      expect(first.goodLength).toBe(at);
      const point = jpegResumePoint(medium, first.goodLength)!;
      expect(point.offset).toBeLessThanOrEqual(at);
      expect(point.offset).toBeGreaterThan(at - 4096);

      // Count reads of the entropy data well before the resume point: a resumed decode must not redo it.
      const scanStart = entropyStart(b);
      let reread = 0;
      const watched = (r: ByteReader): ByteReader => ({
        size: r.size,
        read(p, l) {
          if (p < point.offset - 1024 && p + l > scanStart + 128 * 1024) reread++;
          return r.read(p, l);
        },
      });
      const wrong = jpegContinue(watched(medium), point);
      expect([wrong.ok, wrong.goodLength]).toEqual([false, at]);
      const joined = extentReader(medium, [
        { offset: 0, length: at },
        { offset: at + gap, length: b.length - at },
      ]);
      const right = jpegContinue(watched(joined), point);
      expect([right.ok, right.end]).toEqual([true, b.length]);
      expect(sha256(joined.read(0, right.end!))).toBe(sha256(b));
      if (b.length > scanStart + 256 * 1024) expect(reread).toBe(0);
    });
  }

  it('gives resume points before a failure that came late, one of which continues right', () => {
    // Foreign scan data with the same tables decodes for a while: the decoder fails ~15 KB
    // after the joint, so the joint has to be found among earlier cluster boundaries.
    const b = byName('canon_sx60hs.jpg');
    const other = byName('jolla_phone.jpg');
    const at = 200 * 1024;
    const foreign = other.subarray(entropyStart(other) + 8192, entropyStart(other) + 8192 + 64 * 1024);
    const medium = bufferReader(Buffer.concat([b.subarray(0, at), foreign, b.subarray(at)]));
    const first = jpegDecodeUntilFailure(medium);
    expect(first.goodLength).toBeGreaterThan(at);
    const targets: number[] = [];
    for (let t = first.goodLength; t >= at - 8192; t -= 4096) targets.push(t);
    const points = jpegResumePoints(medium, targets);
    points.forEach((p, i) => {
      expect(p).not.toBeNull();
      expect(p!.offset).toBeLessThanOrEqual(targets[i]);
    });
    const joined = extentReader(medium, [
      { offset: 0, length: at },
      { offset: at + foreign.length, length: b.length - at },
    ]);
    const results = points.map((p, i) => (p!.offset <= at ? { t: targets[i], r: jpegContinue(joined, p!) } : null));
    const good = results.filter((x) => x !== null);
    expect(good.length).toBeGreaterThan(0);
    for (const g of good) expect([g!.r.ok, g!.r.end]).toEqual([true, b.length]);
  });

  it('has no resume point in a progressive file', () => {
    const b = byName('nikon_d300_progressive.jpg');
    expect(jpegResumePoint(bufferReader(b), b.length - 1000)).toBeNull();
  });
});
