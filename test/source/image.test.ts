// A disk image file opened as a source: the bytes are the file's, and the file is never written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/source/index.ts';
import { sha256File, tempDir, writeRandomImage } from './helpers.ts';

describe('openSource on an image file', () => {
  let dir: string;
  let img: string;
  let data: Buffer;
  let hashBefore: string;
  let mtimeBefore: number;

  beforeAll(() => {
    dir = tempDir('image');
    img = path.join(dir, 'card.img');
    // Not a multiple of 512: the end of an image need not fall on a sector.
    data = writeRandomImage(img, 3 * 1024 * 1024 + 777);
    // Backdate it so any write (which bumps mtime to now) is visible.
    fs.utimesSync(img, new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
    hashBefore = sha256File(img);
    mtimeBefore = fs.statSync(img).mtimeMs;
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads exactly the bytes of the file, at any offset, and stops at its end', () => {
    const src = openSource(img);
    try {
      expect(src.kind).toBe('file');
      expect(src.size).toBe(data.length);
      const st = fs.statSync(img);
      expect(src.device).toEqual({ dev: st.dev, rdev: st.rdev, ino: st.ino });
      for (const [pos, len] of [
        [0, 512],
        [1, 100_000],
        [128 * 1024 - 3, 128 * 1024],
        [data.length - 1000, 1000],
        [2 * 1024 * 1024 + 5, 7],
      ]) {
        expect(src.read(pos, len).equals(data.subarray(pos, pos + len))).toBe(true);
      }
      // Past the end: short, then empty.
      expect(src.read(data.length - 10, 4096).equals(data.subarray(data.length - 10))).toBe(true);
      expect(src.read(data.length, 10).length).toBe(0);
      expect(src.read(data.length + 5000, 10).length).toBe(0);
      // The whole medium through readInto in 128 KiB steps, as the scanner reads it.
      const buf = Buffer.alloc(128 * 1024);
      const parts: Buffer[] = [];
      for (let pos = 0; pos < src.size; pos += buf.length) {
        const n = src.readInto(buf, pos);
        expect(n).toBe(Math.min(buf.length, src.size - pos));
        parts.push(Buffer.from(buf.subarray(0, n)));
      }
      expect(Buffer.concat(parts).equals(data)).toBe(true);
      expect(src.unreadable).toEqual([]);
    } finally {
      src.close();
    }
  });

  it('opens the file read-only (O_RDONLY) and leaves its bytes and mtime unchanged', () => {
    const src = openSource(img);
    try {
      // The only descriptor on the image in this process is the source's (the first test closed its own).
      const mine = fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === fs.realpathSync(img);
        } catch {
          return false;
        }
      });
      expect(mine).toHaveLength(1);
      const flags = /^flags:\s+([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${mine[0]}`, 'utf8'))![1];
      // O_ACCMODE bits 0 = O_RDONLY; no O_WRONLY (1), no O_RDWR (2).
      expect(parseInt(flags, 8) & 0o3).toBe(0);
      src.read(0, 1024 * 1024);
    } finally {
      src.close();
    }
    expect(sha256File(img)).toBe(hashBefore);
    expect(fs.statSync(img).mtimeMs).toBe(mtimeBefore);
  });

  it('refuses a single read larger than 1 GiB instead of allocating it (a length from the medium is untrusted)', () => {
    const sparse = path.join(dir, 'sparse.img');
    fs.writeFileSync(sparse, Buffer.alloc(0));
    fs.truncateSync(sparse, 3 * 1024 * 1024 * 1024);
    const src = openSource(sparse);
    try {
      expect(src.size).toBe(3 * 1024 * 1024 * 1024);
      expect(() => src.read(0, 2 * 1024 * 1024 * 1024)).toThrow(RangeError);
      expect(src.read(3 * 1024 * 1024 * 1024 - 4096, 8192).equals(Buffer.alloc(4096))).toBe(true);
    } finally {
      src.close();
      fs.rmSync(sparse);
    }
  });
});
