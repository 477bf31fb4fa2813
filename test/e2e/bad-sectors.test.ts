// Recovering from a card with unreadable sectors (nbdkit's ddrescue filter fails reads of chosen
// ranges with EIO; nbdfuse shows the disk as a plain file): the run reaches the end, lists the
// ranges, recovers every other file exact, and never calls a damaged photo whole.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';
import { ddrescueMap } from '../helpers/ddrescue-map.ts';

const DEMO = path.join(REPO, 'fixtures/disk-images/demo.img');
const TRUTH = JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/disk-images/demo.truth.json'), 'utf8')) as {
  files: { path: string; sha256: string; recoverable: boolean; ranges: [number, number][] }[];
};
const SIZE = fs.statSync(DEMO).size;
const victim = TRUTH.files.find((f) => f.path.endsWith('IMG_0108.JPG'))!;
// A page inside the victim photo, one in free space, and the very last page of the card.
const BAD = [
  { offset: Math.ceil((victim.ranges[0][0] + 20000) / 4096) * 4096, length: 4096 },
  { offset: 40 * 1024 * 1024, length: 8192 },
  { offset: SIZE - 4096, length: 4096 },
];


describe('recover over unreadable sectors', () => {
  let dir: string;
  let mnt: string;
  let disk: string;
  let fuse: ChildProcess | undefined;
  const before = sha256File(DEMO);

  beforeAll(async () => {
    dir = tmpDir('bad');
    fs.writeFileSync(path.join(dir, 'card.map'), ddrescueMap(BAD, SIZE));
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    disk = path.join(mnt, 'disk');
    fuse = spawn('nbdfuse', ['-r', disk, '--command', 'nbdkit', '-s', '-r', '--filter=ddrescue', 'file', `file=${DEMO}`, `ddrescue-mapfile=${path.join(dir, 'card.map')}`], { stdio: 'ignore' });
    fuse.on('error', () => undefined);
    for (let i = 0; i < 200; i++) {
      if (fs.existsSync(disk) && fs.statSync(disk).size === SIZE) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nbdfuse did not show the disk');
  });

  afterAll(async () => {
    spawnSync('fusermount3', ['-u', mnt], { stdio: 'ignore' });
    if (fuse && fuse.exitCode === null) {
      await Promise.race([new Promise((r) => fuse!.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      if (fuse.exitCode === null) fuse.kill('SIGTERM');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the end, reports the ranges, and keeps the damaged photo out of recovered/', () => {
    const out = path.join(dir, 'out');
    const r = runCli(['recover', disk, '--out', out, '--include-live']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/unreadable/);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    for (const b of BAD) {
      const hit = report.unreadable.some((u: { offset: number; length: number }) => u.offset <= b.offset && b.offset + b.length <= u.offset + u.length);
      expect(hit, `range ${b.offset}+${b.length} reported`).toBe(true);
    }
    const got = new Set(listFiles(path.join(out, 'recovered')).map((p) => sha256File(path.join(out, 'recovered', p))));
    // Every other file (live ones too, with --include-live) comes back exact.
    for (const f of TRUTH.files) if (f !== victim) expect(got.has(f.sha256), f.path).toBe(true);
    // The damaged photo is not passed off as whole.
    const rec = report.files.find((x: { original?: { name: string } }) => x.original?.name === 'IMG_0108.JPG');
    expect(rec.verdict).toBe('partial');
    expect(rec.path.startsWith('partial/')).toBe(true);
    expect(sha256File(DEMO)).toBe(before);
  });
});
