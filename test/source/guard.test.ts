// The output folder may not live on the medium being scanned. An exFAT card image on a loop
// device, mounted with exfat-fuse as a card would be, is the medium.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.ts';
import { assertOutputNotOnSource, listDrives, openSource } from '../../src/source/index.ts';
import type { Source } from '../../src/source/index.ts';
import { attachLoop, detachLoop, run, sha256File, tempDir } from './helpers.ts';

function refusal(src: Source, out: string): { kind: string; message: string } | undefined {
  try {
    assertOutputNotOnSource(src, out);
    return undefined;
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { kind: e.kind, message: e.message };
  }
}

describe('assertOutputNotOnSource', () => {
  let dir: string;
  let img: string;
  let mnt: string;
  let loop: string | undefined;
  let mounted = false;
  let hash: string;
  const sources: Source[] = [];

  beforeAll(() => {
    dir = tempDir('guard');
    img = path.join(dir, 'card.img');
    fs.writeFileSync(img, Buffer.alloc(0));
    fs.truncateSync(img, 8 * 1024 * 1024);
    run('mkfs.exfat', ['-L', 'CARD', img]);
    hash = sha256File(img);
    loop = attachLoop(img);
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    // Read-only loop, so exfat-fuse mounts read-only: the image cannot change under the test.
    run('mount.exfat-fuse', ['-o', 'ro', loop, mnt]);
    mounted = true;
  });

  afterAll(() => {
    for (const s of sources) s.close();
    if (mounted) spawnSync('fusermount3', ['-u', mnt], { stdio: 'ignore' });
    detachLoop(loop);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the mount really is exfat-fuse over our loop device', () => {
    const line = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[4] === mnt);
    expect(line).toBeDefined();
    expect(line!.split(' - ')[1].split(' ').slice(0, 2)).toEqual(['fuseblk', loop]);
  });

  it('refuses OUT inside the mount when the source is the image file', () => {
    const src = openSource(img);
    sources.push(src);
    const out = path.join(mnt, 'recovered-photos');
    expect(refusal(src, out)).toEqual({
      kind: 'output',
      message: `Output folder ${out} is inside the image being scanned (${img} is mounted from ${loop} at ${mnt}); choose a folder outside that mount`,
    });
    // Deeper, not-yet-existing folders and the mount point itself too.
    expect(refusal(src, path.join(mnt, 'a', 'b', 'c'))?.kind).toBe('output');
    expect(refusal(src, mnt)?.kind).toBe('output');
    // A folder "inside" the image file itself.
    expect(refusal(src, path.join(img, 'out'))).toEqual({
      kind: 'output',
      message: `Output folder ${path.join(img, 'out')} is the image being scanned; choose a folder on another disk`,
    });
  });

  it('refuses OUT inside the mount when the source is the loop device', () => {
    const src = openSource(loop!);
    sources.push(src);
    const out = path.join(mnt, 'out');
    expect(refusal(src, out)).toEqual({
      kind: 'output',
      message: `Output folder ${out} is on the card being scanned (${loop}); choose a folder on another disk`,
    });
  });

  it('accepts OUT in /tmp (the disk that holds the image) for both sources', () => {
    const out = path.join(dir, 'out', 'new');
    const other = tempDir('guard-out');
    try {
      for (const src of [openSource(img), openSource(loop!)]) {
        sources.push(src);
        expect(refusal(src, out)).toBeUndefined();
        expect(refusal(src, other)).toBeUndefined();
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('an unrelated image is not refused on that mount', () => {
    const otherImg = path.join(dir, 'other.img');
    fs.writeFileSync(otherImg, Buffer.alloc(4096, 1));
    const src = openSource(otherImg);
    sources.push(src);
    expect(refusal(src, path.join(mnt, 'out'))).toBeUndefined();
  });

  it('listDrives() shows the card and where it is mounted', async () => {
    const drive = (await listDrives()).find((d) => d.path === loop);
    expect(drive).toBeDefined();
    expect(drive!.size).toBe(8 * 1024 * 1024);
    expect(drive!.partitions).toEqual([]);
    expect(drive!.mountpoints).toEqual([mnt]);
  });

  it('left the card image unchanged', () => {
    expect(sha256File(img)).toBe(hash);
  });
});

describe('assertOutputNotOnSource through a loop device stacked on the card', () => {
  let dir: string;
  let img: string;
  let mnt: string;
  let lower: string | undefined;
  let upper: string | undefined;
  let mounted = false;
  let hash: string;

  beforeAll(() => {
    dir = tempDir('guard-stack');
    img = path.join(dir, 'card.img');
    fs.writeFileSync(img, Buffer.alloc(0));
    fs.truncateSync(img, 8 * 1024 * 1024);
    run('mkfs.exfat', ['-L', 'CARD', img]);
    hash = sha256File(img);
    lower = attachLoop(img);
    // A second loop device whose backing "file" is the first device: writing through it writes the card.
    upper = attachLoop(lower);
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    run('mount.exfat-fuse', ['-o', 'ro', upper, mnt]);
    mounted = true;
  });

  afterAll(() => {
    if (mounted) spawnSync('fusermount3', ['-u', mnt], { stdio: 'ignore' });
    detachLoop(upper);
    detachLoop(lower);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses OUT on a mount of the upper loop when the lower loop or the image is the source', () => {
    const out = path.join(mnt, 'out');
    const dev = openSource(lower!);
    const file = openSource(img);
    try {
      expect(refusal(dev, out)).toEqual({
        kind: 'output',
        message: `Output folder ${out} is on the card being scanned (${upper}); choose a folder on another disk`,
      });
      expect(refusal(file, out)?.kind).toBe('output');
      expect(refusal(dev, path.join(dir, 'elsewhere'))).toBeUndefined();
    } finally {
      dev.close();
      file.close();
    }
    expect(sha256File(img)).toBe(hash);
  });
});

describe('assertOutputNotOnSource with a partitioned card', () => {
  let dir: string;
  let img: string;
  let mnt: string;
  let loop: string | undefined;
  let part: string;
  let mounted = false;
  let hash: string;
  const sources: Source[] = [];

  beforeAll(() => {
    dir = tempDir('guard-part');
    img = path.join(dir, 'card.img');
    fs.writeFileSync(img, Buffer.alloc(0));
    fs.truncateSync(img, 16 * 1024 * 1024);
    // One exFAT partition at 1 MiB, as cards are sold.
    execFileSync('sfdisk', ['-q', img], { input: 'label: dos\nstart=2048, size=20480, type=7\n' });
    const fsImg = path.join(dir, 'part.img');
    fs.writeFileSync(fsImg, Buffer.alloc(0));
    fs.truncateSync(fsImg, 20480 * 512);
    run('mkfs.exfat', ['-L', 'CARD', fsImg]);
    const fd = fs.openSync(img, 'r+');
    fs.writeSync(fd, fs.readFileSync(fsImg), 0, 20480 * 512, 2048 * 512);
    fs.closeSync(fd);
    hash = sha256File(img);
    loop = run('losetup', ['-r', '-P', '-f', '--show', img]).trim();
    // Without udev the kernel may not have scanned the table yet: ask it to.
    if (!fs.existsSync(`${loop}p1`)) spawnSync('partx', ['-a', loop], { stdio: 'ignore' });
    part = `${loop}p1`;
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    run('mount.exfat-fuse', ['-o', 'ro', part, mnt]);
    mounted = true;
  });

  afterAll(() => {
    for (const s of sources) s.close();
    if (mounted) spawnSync('fusermount3', ['-u', mnt], { stdio: 'ignore' });
    detachLoop(loop);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses OUT on the partition when the whole card, the partition or the image is the source', () => {
    const out = path.join(mnt, 'DCIM', 'rescued');
    const whole = openSource(loop!);
    const partition = openSource(part);
    const file = openSource(img);
    sources.push(whole, partition, file);
    // The partition is a block device of its own size, reading the image from 1 MiB on.
    expect(partition.kind).toBe('block');
    expect(partition.size).toBe(20480 * 512);
    expect(partition.read(0, 64 * 1024).equals(fs.readFileSync(img).subarray(1024 * 1024, 1024 * 1024 + 64 * 1024))).toBe(true);
    expect(refusal(whole, out)).toEqual({
      kind: 'output',
      message: `Output folder ${out} is on the card being scanned (${part}); choose a folder on another disk`,
    });
    expect(refusal(partition, out)?.kind).toBe('output');
    expect(refusal(file, out)?.message).toBe(
      `Output folder ${out} is inside the image being scanned (${img} is mounted from ${part} at ${mnt}); choose a folder outside that mount`,
    );
    // Elsewhere is fine.
    expect(refusal(whole, path.join(dir, 'out'))).toBeUndefined();
    expect(refusal(file, path.join(dir, 'out'))).toBeUndefined();
  });

  it('listDrives() shows the card with its partition and where it is mounted', async () => {
    const drive = (await listDrives()).find((d) => d.path === loop);
    expect(drive).toBeDefined();
    expect(drive!.size).toBe(16 * 1024 * 1024);
    expect(drive!.partitions).toHaveLength(1);
    expect(drive!.partitions[0]).toMatchObject({ path: part, size: 20480 * 512, mountpoint: mnt });
    expect(drive!.mountpoints).toEqual([mnt]);
  });

  it('left the card image unchanged', () => {
    expect(sha256File(img)).toBe(hash);
  });
});
