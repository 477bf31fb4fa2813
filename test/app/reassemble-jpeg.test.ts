// JPEG bifragment gap carving: a real photo split on a cluster boundary of a real (mkfs.vfat)
// FAT16 volume, with random bytes, zeros or another photo's bytes in the gap. The pieces must
// come back byte-exact, and no layout may ever give a wrong file marked complete.
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
import { CORPUS, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';
import { rng } from '../fs/helpers.ts';

const MEDIA = path.join(CORPUS, 'media');
const PHOTOS = ['canon_g9.jpg', 'samsung_smg930f.jpg', 'nikon_p6000_gps.jpg', 'fujifilm_dx10.jpg', 'sanyo_vpcsx550.jpg', 'kodak_dc240.jpg', 'sony_cybershot.jpg', 'nikon_d300_progressive.jpg'];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let dir = '';
let blank: Buffer;
let imagePath = '';
let imageSha = '';
let dataOffset = 0;
let cs = 0;

beforeAll(() => {
  dir = tmpDir('reassemble-jpeg');
  imagePath = path.join(dir, 'fat32.img');
  // 64 MiB FAT16 with 4 KiB clusters, made by the real tool.
  execFileSync('mkfs.vfat', ['-C', '-F', '16', '-s', '8', '-n', 'TEST', imagePath, String(64 * 1024)], { stdio: 'ignore' });
  blank = fs.readFileSync(imagePath);
  imageSha = sha(blank);
  const v = openVolumes(bufferReader(blank)).volumes[0];
  dataOffset = v.dataOffset;
  cs = v.clusterSize;
});

afterAll(() => {
  // The image file the volume was made on is never written by the code under test.
  expect(sha(fs.readFileSync(imagePath))).toBe(imageSha);
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Layout {
  photo: Buffer;
  /** Cluster index (from the data area) where the photo starts. */
  at: number;
  /** Clusters in the first piece. */
  first: number;
  gap: Buffer;
}

/** Lay a photo out in two pieces with `gap` (whole clusters) between, on a copy of the blank volume. */
function build(l: Layout): { img: Buffer; start: number } {
  const img = Buffer.from(blank);
  const start = dataOffset + l.at * cs;
  const cut = l.first * cs;
  l.photo.copy(img, start, 0, cut);
  l.gap.copy(img, start + cut);
  l.photo.copy(img, start + cut + l.gap.length, cut);
  return { img, start };
}

/** What the run hands to reassemble: a carved file cut short (or a deleted entry with its size). */
function attempt(img: Buffer, start: number, photoSize: number, withSize: boolean): Buffer | null | 'wrong-verdict' {
  const medium = bufferReader(img);
  const { volumes } = openVolumes(medium);
  const partial: FoundFile = { id: `jpeg@${start}`, format: 'jpeg', ext: 'jpg', size: 4096, extents: [{ offset: start, length: 4096 }], foundBy: 'carving', verdict: 'partial' };
  const r = reassemble({ medium, types: ['jpeg'], volumes, claims: new Claims() }, partial, withSize ? { size: photoSize } : {});
  if (!r) return null;
  if (r.verdict !== 'complete' || r.format !== 'jpeg' || r.id !== partial.id) return 'wrong-verdict';
  return Buffer.from(extentReader(medium, r.extents).read(0, r.size));
}

function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b;
}

describe('JPEG bifragment reassembly', () => {
  it('puts a photo split around random bytes back together, byte-exact (carved and with an entry size)', () => {
    const photo = fs.readFileSync(path.join(MEDIA, 'canon_g9.jpg'));
    const rand = rng(7);
    const first = Math.floor(photo.length / cs / 2);
    const { img, start } = build({ photo, at: 100, first, gap: randomBytes(rand, 5 * cs) });
    for (const withSize of [false, true]) {
      const got = attempt(img, start, photo.length, withSize);
      expect(got).toBeInstanceOf(Buffer);
      expect(sha(got as Buffer)).toBe(sha(photo));
    }
  });

  it('the real CLI carves a split photo on a card image and writes it whole to recovered/', { timeout: 300_000 }, () => {
    const photo = fs.readFileSync(path.join(MEDIA, 'canon_g9.jpg'));
    const rand = rng(11);
    const { img } = build({ photo, at: 400, first: 17, gap: randomBytes(rand, 9 * cs) });
    const card = path.join(dir, 'split-photo.img');
    fs.writeFileSync(card, img);
    const before = sha256File(card);
    const out = path.join(dir, 'out-split-photo');
    const r = runCli(['recover', card, '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(sha256File(card)).toBe(before);
    const got = listFiles(path.join(out, 'recovered')).map((rel) => sha256File(path.join(out, 'recovered', rel)));
    expect(got).toEqual([sha(photo)]);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as { files: { verdict: string; reason?: string }[] };
    expect(report.files.map((f) => [f.verdict, f.reason])).toEqual([['complete', 'reassembled: 2 fragments by JPEG decoding']]);
  });

  it("puts a photo split around another photo's bytes back together", () => {
    const photo = fs.readFileSync(path.join(MEDIA, 'samsung_smg930f.jpg'));
    const other = fs.readFileSync(path.join(MEDIA, 'kodak_dc240.jpg'));
    const first = Math.floor(photo.length / cs / 3);
    const gapLen = Math.ceil(other.length / cs) * cs;
    const gap = Buffer.alloc(gapLen);
    other.copy(gap);
    const { img, start } = build({ photo, at: 300, first, gap });
    const got = attempt(img, start, photo.length, true);
    expect(got).toBeInstanceOf(Buffer);
    expect(sha(got as Buffer)).toBe(sha(photo));
  });

  it("never finishes a photo whose rest is gone with another photo's data (40 layouts)", { timeout: 600_000 }, () => {
    const photos = PHOTOS.map((n) => fs.readFileSync(path.join(MEDIA, n)));
    const rand = rng(424242);
    for (let i = 0; i < 40; i++) {
      const a = Math.floor(rand() * photos.length);
      const b = (a + 1 + Math.floor(rand() * (photos.length - 1))) % photos.length;
      const photo = photos[a];
      const other = photos[b];
      const clusters = Math.ceil(photo.length / cs);
      if (clusters < 4) continue;
      const first = 2 + Math.floor(rand() * (clusters - 3));
      // The other photo's data from some cluster on follows a short gap: this photo's rest is gone.
      const from = Math.floor(rand() * Math.max(1, Math.floor(other.length / cs) - 1)) * cs;
      const gap = Buffer.alloc(cs * (1 + Math.floor(rand() * 3)));
      const tail = other.subarray(from);
      const { img, start } = build({ photo: Buffer.concat([photo.subarray(0, first * cs), tail]), at: 60, first, gap });
      expect(attempt(img, start, photo.length, rand() < 0.5)).toBeNull();
    }
  });

  it('never gives a wrong photo marked complete over 200 random layouts (fixed seed)', { timeout: 600_000 }, () => {
    const photos = PHOTOS.map((n) => fs.readFileSync(path.join(MEDIA, n)));
    const rand = rng(20260101);
    let exact = 0;
    let wrong = 0;
    for (let i = 0; i < 200; i++) {
      const photo = photos[Math.floor(rand() * photos.length)];
      const clusters = Math.ceil(photo.length / cs);
      if (clusters < 3) continue;
      // Split somewhere after the headers (first cluster) and before the last cluster.
      const first = 1 + Math.floor(rand() * (clusters - 2));
      const gapClusters = 1 + Math.floor(rand() * 24);
      const kind = rand();
      let gap: Buffer;
      if (kind < 0.5) gap = randomBytes(rand, gapClusters * cs);
      else if (kind < 0.6) gap = Buffer.alloc(gapClusters * cs);
      else {
        // Another photo's bytes from some cluster on (its entropy data looks like ours).
        const o = photos[Math.floor(rand() * photos.length)];
        const from = Math.floor(rand() * Math.max(1, Math.floor(o.length / cs) - 1)) * cs;
        gap = Buffer.alloc(gapClusters * cs);
        o.copy(gap, 0, from, Math.min(o.length, from + gap.length));
      }
      const { img, start } = build({ photo, at: 50 + Math.floor(rand() * 2000), first, gap });
      const got = attempt(img, start, photo.length, rand() < 0.5);
      if (got === null) continue;
      if (got === 'wrong-verdict' || sha(got) !== sha(photo)) wrong++;
      else exact++;
    }
    expect(wrong).toBe(0);
    // Most of the layouts come back whole (random gaps always do); the rest stay partial.
    expect(exact).toBeGreaterThan(100);
  });
});
