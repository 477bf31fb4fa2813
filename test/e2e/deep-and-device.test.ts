// --deep finds a photo that does not start on a sector boundary; a real block device (a
// read-only loop device) is recovered from like an image; scan writes nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';

const DEMO = path.join(REPO, 'fixtures/disk-images/demo.img');
const TRUTH = JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/disk-images/demo.truth.json'), 'utf8')) as {
  files: { path: string; sha256: string; recoverable: boolean; state: string; ranges: [number, number][] }[];
};

/** Deterministic noise (xorshift32), so a failure can be reproduced. */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

function fileBytes(f: { ranges: [number, number][] }): Buffer {
  const fd = fs.openSync(DEMO, 'r');
  try {
    return Buffer.concat(f.ranges.map(([off, len]) => {
      const b = Buffer.alloc(len);
      fs.readSync(fd, b, 0, len, off);
      return b;
    }));
  } finally {
    fs.closeSync(fd);
  }
}

describe('--deep', () => {
  it('finds a JPEG at an odd byte offset that the sector scan skips', () => {
    const jpeg = TRUTH.files.find((f) => f.path.endsWith('.JPG') && f.recoverable)!;
    const bytes = fileBytes(jpeg);
    const dir = tmpDir('deep');
    const img = path.join(dir, 'raw.img');
    fs.writeFileSync(img, Buffer.concat([noise(1000 + 512 * 7, 7), bytes, noise(200_000, 9)]));
    const before = sha256File(img);

    const plain = runCli(['recover', img, '--out', path.join(dir, 'plain')]);
    expect(plain.code).toBe(0);
    expect(listFiles(path.join(dir, 'plain', 'recovered'))).toEqual([]);

    const deep = runCli(['recover', img, '--out', path.join(dir, 'deep'), '--deep']);
    expect(deep.code).toBe(0);
    const got = listFiles(path.join(dir, 'deep', 'recovered'));
    expect(got).toHaveLength(1);
    expect(got[0]).toBe(`${(1000 + 512 * 7).toString(16).padStart(10, '0')}.jpg`);
    expect(sha256File(path.join(dir, 'deep', 'recovered', got[0]))).toBe(jpeg.sha256);
    expect(sha256File(img)).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('a block device', () => {
  let loop = '';
  afterAll(() => {
    if (loop) spawnSync('losetup', ['-d', loop]);
  });

  it('recovers from a read-only loop device like from the image, and lists its partitions', () => {
    const before = sha256File(DEMO);
    loop = execFileSync('losetup', ['-r', '-f', '--show', DEMO], { encoding: 'utf8' }).trim();
    const out = tmpDir('loop');
    const r = runCli(['recover', loop, '--out', out]);
    expect(r.code).toBe(0);
    const got = new Set(listFiles(path.join(out, 'recovered')).map((p) => sha256File(path.join(out, 'recovered', p))));
    for (const f of TRUTH.files.filter((x) => x.recoverable)) expect(got.has(f.sha256), f.path).toBe(true);

    const parts = runCli(['partitions', loop]);
    expect(parts.code).toBe(0);
    expect(parts.stdout).toMatch(/fat32/);
    expect(sha256File(DEMO)).toBe(before);
  });
});

describe('scan', () => {
  it('lists the deleted files with their names and writes nothing', () => {
    const before = sha256File(DEMO);
    const cwd = tmpDir('scan');
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/photorescue.js'), 'scan', DEMO], { cwd, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const f of TRUTH.files.filter((x) => x.recoverable)) expect(r.stdout).toContain(path.basename(f.path));
    expect(fs.readdirSync(cwd)).toEqual([]);
    expect(sha256File(DEMO)).toBe(before);
  });
});

describe('devices', () => {
  it('lists an attached card (a loop device) with its size', () => {
    const dev = execFileSync('losetup', ['-r', '-f', '--show', DEMO], { encoding: 'utf8' }).trim();
    try {
      const r = runCli(['devices', '--json']);
      expect(r.code).toBe(0);
      const drives = JSON.parse(r.stdout) as { path: string; size: number }[];
      const d = drives.find((x) => x.path === dev);
      expect(d?.size).toBe(fs.statSync(DEMO).size);
    } finally {
      spawnSync('losetup', ['-d', dev]);
    }
  });
});
