// Fragmented movies put back together by their sample tables, on a real (mkfs.vfat) FAT16
// volume with 2 KiB clusters: real clips cut into 2 to 5 pieces on cluster boundaries, with
// noise files between them (their slack zeros, or stale bytes). Whatever comes back complete
// must be byte-exact; pieces placed with clusters taken on trust come back marked partial.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferReader, extentReader } from '../../src/core/readers.ts';
import type { FoundFile } from '../../src/core/types.ts';
import { openVolumes } from '../../src/fs/index.ts';
import { Claims } from '../../src/app/carve.ts';
import { reassemble } from '../../src/app/reassemble.ts';
import { readMovieTables } from '../../src/app/reassemble-tables.ts';
import { CORPUS, tmpDir } from '../helpers/corpus.ts';
import { rng } from '../fs/helpers.ts';

const MEDIA = path.join(CORPUS, 'media');
const CLIPS = ['android6_gps.mp4', 'flir_one.mp4', 'apple_coremedia_moov_first.mp4', 'iphone6_gps.mov'];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let dir = '';
let imagePath = '';
let blank: Buffer;
let imageSha = '';

beforeAll(() => {
  dir = tmpDir('reassemble-movie');
  imagePath = path.join(dir, 'fat16.img');
  execFileSync('mkfs.vfat', ['-C', '-F', '16', '-s', '4', '-n', 'TEST', imagePath, String(64 * 1024)], { stdio: 'ignore' });
  blank = fs.readFileSync(imagePath);
  imageSha = sha(blank);
});

afterAll(() => {
  expect(sha(fs.readFileSync(imagePath))).toBe(imageSha);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('movie sample tables', () => {
  it('list every video and AAC sample of a real clip where its bytes are', () => {
    const clip = fs.readFileSync(path.join(MEDIA, 'apple_coremedia_moov_first.mp4'));
    // ftyp (28 bytes) then moov (3542 bytes) in this clip.
    const t = readMovieTables(clip.subarray(28, 28 + 3542));
    expect(t).not.toBeNull();
    expect(t!.kinds.map((k) => k.kind).sort()).toEqual(['aac', 'nal']);
    expect(t!.checkpoints.length).toBe(109 + 156); // ffprobe: 109 video frames, 156 AAC frames
    expect(t!.dataEnd).toBe(clip.length);
    // Every AAC frame starts with a channel pair element, every video sample with a NAL length.
    for (const cp of t!.checkpoints) {
      if (t!.kinds[cp.kind].kind === 'aac') expect(clip[cp.offset] & 0xfe).toBe(0x20);
      else expect(clip.readUInt32BE(cp.offset) + 4).toBeLessThanOrEqual(cp.size);
    }
  });
});

interface Outcome {
  complete: number;
  exactAnywhere: number;
  wrongComplete: number;
}

/** Cut real files into 2..5 pieces with noise files between them and put each back together. */
function layouts(names: string[], format: (name: string) => 'mp4' | 'mov' | 'heic', seed: number, count: number): Outcome {
  const files = names.map((n) => fs.readFileSync(path.join(MEDIA, n)));
  const { volumes } = openVolumes(bufferReader(blank));
  const cs = volumes[0].clusterSize;
  const dataOffset = volumes[0].dataOffset;
  const rand = rng(seed);
  const o: Outcome = { complete: 0, exactAnywhere: 0, wrongComplete: 0 };
  for (let i = 0; i < count; i++) {
    const ci = Math.floor(rand() * files.length);
    const clip = files[ci];
    const units = Math.ceil(clip.length / cs);
    const pieces = Math.min(units, 2 + Math.floor(rand() * 4));
    const cuts = new Set<number>();
    while (cuts.size < pieces - 1) cuts.add(1 + Math.floor(rand() * (units - 1)));
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), units];
    const img = Buffer.from(blank);
    let pos = dataOffset + (20 + Math.floor(rand() * 200)) * cs;
    const start = pos;
    for (let k = 0; k < bounds.length - 1; k++) {
      const a = bounds[k] * cs;
      const b = Math.min(clip.length, bounds[k + 1] * cs);
      clip.copy(img, pos, a, b);
      pos += Math.ceil((b - a) / cs) * cs;
      if (k === bounds.length - 2) break;
      // The gap: noise files of random lengths, their last cluster's slack zeros or stale bytes.
      const gapFiles = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < gapFiles; f++) {
        const len = 1 + Math.floor(rand() * 60 * cs);
        for (let j = 0; j < len; j++) img[pos + j] = (rand() * 256) | 0;
        const padded = Math.ceil(len / cs) * cs;
        if (rand() < 0.3) for (let j = len; j < padded; j++) img[pos + j] = (rand() * 256) | 0;
        pos += padded;
      }
    }
    const medium = bufferReader(img);
    const fmt = format(names[ci]);
    const partial: FoundFile = { id: `${fmt}@${start}`, format: fmt, ext: fmt, size: 4096, extents: [{ offset: start, length: 4096 }], foundBy: 'carving', verdict: 'partial' };
    const r = reassemble({ medium, types: ['jpeg', 'heic', 'mp4', 'mov'], volumes: openVolumes(medium).volumes, claims: new Claims() }, partial, rand() < 0.5 ? { size: clip.length } : {});
    if (!r) continue;
    expect(r.id).toBe(partial.id);
    const exact = sha(Buffer.from(extentReader(medium, r.extents).read(0, r.size))) === sha(clip);
    if (exact) o.exactAnywhere++;
    if (r.verdict === 'complete') {
      o.complete++;
      if (!exact) o.wrongComplete++;
    } else {
      expect(r.reason).toMatch(/could not be proved/);
    }
  }
  return o;
}

describe('MP4/MOV/HEIC reassembly', () => {
  it('never calls a wrong movie complete over 120 random layouts (fixed seed), and gets many back whole', () => {
    const o = layouts(CLIPS, (n) => (n.endsWith('.mov') ? 'mov' : 'mp4'), 5, 120);
    expect(o.wrongComplete).toBe(0);
    expect(o.complete).toBeGreaterThan(0);
    expect(o.exactAnywhere).toBeGreaterThan(30);
  });

  it('puts HEIF images back by their item locations (meta first or last), never a wrong one complete (60 layouts)', () => {
    const o = layouts(['nokiatech_thumb.heic', 'samsung_s10plus_mdat_first.heic', ...fs.readdirSync(MEDIA).filter((n) => /^(apple|iphone).*\.heic$/i.test(n))], () => 'heic', 9, 60);
    expect(o.wrongComplete).toBe(0);
    expect(o.exactAnywhere).toBeGreaterThan(5);
  });
});
