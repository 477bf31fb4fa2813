// A real block device (a read-only loop device over an image): size from sysfs, exact bytes,
// the permission message a non-root user gets, and the drive list.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockDeviceSize } from '../../src/source/blocksize.ts';
import { listDrives, openSource } from '../../src/source/index.ts';
import { devKey, makeDev } from '../../src/source/sysfs.ts';
import { attachLoop, detachLoop, openAsNobody, sha256File, tempDir, writeRandomImage } from './helpers.ts';

describe('openSource on a block device', () => {
  let dir: string;
  let img: string;
  let data: Buffer;
  let hash: string;
  let loop: string | undefined;

  beforeAll(() => {
    dir = tempDir('blockdev');
    img = path.join(dir, 'card.img');
    data = writeRandomImage(img, 5 * 1024 * 1024);
    hash = sha256File(img);
    loop = attachLoop(img);
  });

  afterAll(() => {
    detachLoop(loop);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a block device whose size comes from the kernel (stat says 0) and whose bytes are the image', () => {
    expect(loop).toMatch(/^\/dev\/loop\d+$/);
    expect(fs.statSync(loop!).size).toBe(0);
    const src = openSource(loop!);
    try {
      expect(src.kind).toBe('block');
      expect(src.size).toBe(data.length);
      const st = fs.statSync(loop!);
      expect(src.device.rdev).toBe(st.rdev);
      expect(src.device.ino).toBe(st.ino);
      // The kernel's own view of the size agrees (sysfs counts 512-byte units).
      expect(Number(fs.readFileSync(`/sys/dev/block/${devKey(st.rdev)}/size`, 'utf8')) * 512).toBe(data.length);
      expect(src.read(4096 + 17, 300_000).equals(data.subarray(4096 + 17, 4096 + 17 + 300_000))).toBe(true);
      const buf = Buffer.alloc(128 * 1024);
      const parts: Buffer[] = [];
      for (let pos = 0; pos < src.size; pos += buf.length) {
        const n = src.readInto(buf, pos);
        parts.push(Buffer.from(buf.subarray(0, n)));
      }
      expect(Buffer.concat(parts).equals(data)).toBe(true);
      expect(src.read(src.size - 5, 100).equals(data.subarray(data.length - 5))).toBe(true);
      expect(src.read(src.size, 100).length).toBe(0);
      expect(src.unreadable).toEqual([]);
    } finally {
      src.close();
    }
    expect(sha256File(img)).toBe(hash);
  });

  it('falls back to blockdev --getsize64 when sysfs does not know the device', () => {
    // A device number sysfs has no entry for: only the path is left to ask about.
    const unknown = makeDev(4000, 987654);
    expect(fs.existsSync(`/sys/dev/block/4000:987654`)).toBe(false);
    expect(blockDeviceSize(loop!, unknown)).toBe(data.length);
    expect(blockDeviceSize(loop!, fs.statSync(loop!).rdev)).toBe(data.length);
  });

  it('tells a user without access to the device to use sudo or image the card first', () => {
    const r = openAsNobody(loop!);
    expect(r).toEqual({
      ok: false,
      name: 'UserError',
      kind: 'source',
      message: `Permission denied reading ${loop}: run with sudo, or image the card first (e.g. sudo dd if=${loop} of=card.img bs=4M status=progress)`,
    });
    expect(sha256File(img)).toBe(hash);
  });

  it('listDrives() lists the attached loop device as a disk of the right size, removable ones first', async () => {
    const drives = await listDrives();
    expect(Array.isArray(drives)).toBe(true);
    const mine = drives.find((d) => d.path === loop);
    expect(mine).toBeDefined();
    expect(mine!.kind).toBe('disk');
    expect(mine!.size).toBe(data.length);
    expect(mine!.model).toBe(`loop: ${img}`);
    // No ram/zram devices, and every removable drive comes before every fixed one.
    expect(drives.some((d) => /\/(z?ram)\d+$/.test(d.path))).toBe(false);
    const firstFixed = drives.findIndex((d) => !d.removable);
    if (firstFixed >= 0) expect(drives.slice(firstFixed).every((d) => !d.removable)).toBe(true);
  });
});
