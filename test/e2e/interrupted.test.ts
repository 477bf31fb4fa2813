// A photo interrupted by another file's blocks (a clip written into a hole in the middle of it,
// as cameras do on a fragmented card): the clip is found whole, and the photo is continued
// behind the clip's blocks and comes back whole too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';

const DEMO = path.join(REPO, 'fixtures/disk-images/demo.img');
const TRUTH = JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/disk-images/demo.truth.json'), 'utf8')) as {
  files: { path: string; sha256: string; ranges: [number, number][] }[];
};

function bytesOf(name: string): { bytes: Buffer; sha256: string } {
  const f = TRUTH.files.find((x) => x.path.endsWith(name))!;
  const fd = fs.openSync(DEMO, 'r');
  try {
    const bytes = Buffer.concat(f.ranges.map(([o, l]) => {
      const b = Buffer.alloc(l);
      fs.readSync(fd, b, 0, l, o);
      return b;
    }));
    return { bytes, sha256: f.sha256 };
  } finally {
    fs.closeSync(fd);
  }
}

const pad = (b: Buffer, to = 512) => Buffer.concat([b, Buffer.alloc((to - (b.length % to)) % to)]);

describe('a photo interrupted by a clip', () => {
  it('comes back whole, and so does the clip', () => {
    const photo = bytesOf('IMG_0108.JPG');
    const clip = bytesOf('MVI_0111.MP4');
    const cut = 64 * 1024; // the photo's first 128 sectors, then the clip, then the rest
    const dir = tmpDir('interrupted');
    const img = path.join(dir, 'raw.img');
    fs.writeFileSync(img, Buffer.concat([Buffer.alloc(64 * 1024), photo.bytes.subarray(0, cut), pad(clip.bytes), pad(photo.bytes.subarray(cut)), Buffer.alloc(256 * 1024)]));
    const before = sha256File(img);
    const out = path.join(dir, 'out');
    const r = runCli(['recover', img, '--out', out]);
    expect(r.code).toBe(0);
    const got = listFiles(path.join(out, 'recovered')).map((p) => sha256File(path.join(out, 'recovered', p)));
    expect(got).toContain(clip.sha256);
    expect(got).toContain(photo.sha256);
    expect(got).toHaveLength(2);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    const rec = report.files.find((x: { sha256: string }) => x.sha256 === photo.sha256);
    expect(rec.extents).toHaveLength(2);
    expect(sha256File(img)).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
