// Bad sectors: nbdkit's ddrescue filter fails reads of chosen ranges of an image with EIO, and
// nbdfuse shows that as a plain file. The source must read to the end, zero-fill and record
// the bad ranges at the right offsets, and return every other byte exactly.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Extent, UnreadableRange } from '../../src/core/types.ts';
import { UserError } from '../../src/core/errors.ts';
import { UnreadableLog } from '../../src/source/badsectors.ts';
import { openSource } from '../../src/source/index.ts';
import { sha256File, tempDir, writeRandomImage } from './helpers.ts';
import { ddrescueMap } from '../helpers/ddrescue-map.ts';

const SIZE = 2 * 1024 * 1024;
/** The truly bad ranges (sector-aligned, as a card's are). */
const BAD: Extent[] = [
  { offset: 0x10200, length: 0x400 }, // two sectors inside one page
  { offset: 0x80000, length: 0x200 }, // one sector at a page start
  { offset: 0x100e00, length: 0x1400 }, // across three pages
  { offset: SIZE - 0x200, length: 0x200 }, // the very last sector
];


function inAny(pos: number, ranges: readonly Extent[]): boolean {
  return ranges.some((r) => pos >= r.offset && pos < r.offset + r.length);
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('reading over bad sectors (nbdkit ddrescue filter + nbdfuse)', () => {
  let dir: string;
  let img: string;
  let data: Buffer;
  let hash: string;
  let mnt: string;
  let disk: string;
  let fuse: ChildProcess | undefined;
  /** The kernel reads FUSE files a page at a time: a bad sector spoils its whole page. */
  const page = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());

  beforeAll(async () => {
    dir = tempDir('badsectors');
    img = path.join(dir, 'card.img');
    data = writeRandomImage(img, SIZE);
    hash = sha256File(img);
    fs.writeFileSync(path.join(dir, 'card.map'), ddrescueMap(BAD, SIZE));
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    disk = path.join(mnt, 'disk');
    fuse = spawn(
      'nbdfuse',
      ['-r', disk, '--command', 'nbdkit', '-s', '-r', '--filter=ddrescue', 'file', `file=${img}`, `ddrescue-mapfile=${path.join(dir, 'card.map')}`],
      { stdio: 'ignore' },
    );
    fuse.on('error', () => undefined); // a missing nbdfuse shows as the timeout below
    await waitFor(() => {
      try {
        return fs.statSync(disk).size === SIZE;
      } catch {
        return false;
      }
    }, 'nbdfuse to show the disk');
  });

  afterAll(async () => {
    spawnSync('fusermount3', ['-u', mnt], { stdio: 'ignore' });
    if (fuse && fuse.exitCode === null) {
      const exited = new Promise((r) => fuse!.once('exit', r));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (fuse.exitCode === null && fuse.pid) fuse.kill('SIGTERM');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the served file really fails with EIO on a bad sector and reads fine elsewhere', () => {
    const fd = fs.openSync(disk, 'r');
    try {
      expect(() => fs.readSync(fd, Buffer.alloc(512), 0, 512, 0x80000)).toThrow(/EIO/);
      const b = Buffer.alloc(512);
      expect(fs.readSync(fd, b, 0, 512, 0x40000)).toBe(512);
      expect(b.equals(data.subarray(0x40000, 0x40200))).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('reads the whole medium in 128 KiB steps: bad ranges zero-filled and recorded, the rest exact', () => {
    const seen: UnreadableRange[] = [];
    const src = openSource(disk, { onUnreadable: (r) => seen.push(r) });
    const got = Buffer.alloc(SIZE, 0xaa);
    try {
      expect(src.size).toBe(SIZE);
      for (let pos = 0; pos < SIZE; pos += 128 * 1024) {
        const n = src.readInto(got.subarray(pos, pos + 128 * 1024), pos);
        expect(n).toBe(128 * 1024);
      }
    } finally {
      src.close();
    }
    const recorded = src.unreadable;
    // One recorded range per bad range (they are pages apart), each covering it whole and
    // reaching no further than the pages the kernel read it in.
    expect(recorded).toHaveLength(BAD.length);
    for (let i = 0; i < BAD.length; i++) {
      const r = recorded[i];
      const b = BAD[i];
      expect(r.error).toBe('EIO');
      expect(r.offset).toBeLessThanOrEqual(b.offset);
      expect(r.offset + r.length).toBeGreaterThanOrEqual(b.offset + b.length);
      expect(r.offset).toBeGreaterThanOrEqual(Math.floor(b.offset / page) * page);
      expect(r.offset + r.length).toBeLessThanOrEqual(Math.ceil((b.offset + b.length) / page) * page);
      expect(r.offset % 512).toBe(0);
      expect(r.length % 512).toBe(0);
    }
    // onUnreadable told us about exactly those bytes, each once.
    const told = new Log();
    for (const r of seen) told.addAll(r);
    expect(told.log.ranges.map(({ offset, length }) => ({ offset, length }))).toEqual(
      recorded.map(({ offset, length }) => ({ offset, length })),
    );
    expect(seen.reduce((s, r) => s + r.length, 0)).toBe(recorded.reduce((s, r) => s + r.length, 0));
    // Every byte: zero where recorded, the original elsewhere.
    let wrong = 0;
    for (let pos = 0; pos < SIZE; pos++) {
      const want = inAny(pos, recorded) ? 0 : data[pos];
      if (got[pos] !== want) wrong++;
    }
    expect(wrong).toBe(0);
    expect(sha256File(img)).toBe(hash);
  });

  it('a single big read and unaligned reads give the same answer; known bad ranges are not re-reported', () => {
    const seen: UnreadableRange[] = [];
    const src = openSource(disk, { onUnreadable: (r) => seen.push(r) });
    try {
      const all = src.read(0, SIZE + 4096);
      expect(all.length).toBe(SIZE);
      const expected = Buffer.from(data);
      for (const r of src.unreadable) expected.fill(0, r.offset, r.offset + r.length);
      expect(all.equals(expected)).toBe(true);
      const count = seen.length;
      expect(count).toBe(BAD.length);
      // Re-read an unaligned window over the first bad range: same bytes, no new reports.
      const w = src.read(0x10000 + 77, 5000);
      expect(w.equals(expected.subarray(0x10000 + 77, 0x10000 + 77 + 5000))).toBe(true);
      expect(seen.length).toBe(count);
    } finally {
      src.close();
    }
    expect(sha256File(img)).toBe(hash);
  });
});

describe('a medium that goes away mid-read (nbdfuse killed, as a card pulled out)', () => {
  let dir: string;
  let mnt: string;
  let fuse: ChildProcess | undefined;

  beforeAll(async () => {
    dir = tempDir('gone');
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    fuse = spawn('nbdfuse', ['-r', path.join(mnt, 'disk'), '--command', 'nbdkit', '-s', '-r', 'memory', '1M'], {
      stdio: 'ignore',
    });
    fuse.on('error', () => undefined);
    await waitFor(() => fs.existsSync(path.join(mnt, 'disk')), 'nbdfuse to show the disk');
  });

  afterAll(() => {
    if (fuse && fuse.exitCode === null && fuse.signalCode === null) fuse.kill('SIGKILL');
    spawnSync('fusermount3', ['-u', mnt], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops with a one-line source error instead of zero-filling the rest of the card', async () => {
    const src = openSource(path.join(mnt, 'disk'));
    try {
      expect(src.read(0, 4096).equals(Buffer.alloc(4096))).toBe(true);
      const exited = new Promise((r) => fuse!.once('exit', r));
      fuse!.kill('SIGKILL');
      await exited;
      let err: unknown;
      try {
        src.read(512 * 1024, 128 * 1024);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).kind).toBe('source');
      expect((err as UserError).message).toBe(
        `${path.join(mnt, 'disk')} stopped answering (ENOTCONN): was the card removed? Reconnect it and run again`,
      );
      expect(src.unreadable).toEqual([]);
    } finally {
      src.close(); // must not throw even though the medium is gone
    }
  });
});

/** Collects reported ranges through the same merge the source uses, to compare coverage. */
class Log {
  readonly log = new UnreadableLog();
  addAll(r: UnreadableRange): void {
    this.log.add(r.offset, r.length, r.error);
  }
}

describe('UnreadableLog', () => {
  it('merges overlapping and touching ranges and reports only what is new', () => {
    const log = new UnreadableLog();
    expect(log.add(1024, 512, 'EIO')).toEqual([{ offset: 1024, length: 512, error: 'EIO' }]);
    expect(log.add(4096, 512, 'EIO')).toEqual([{ offset: 4096, length: 512, error: 'EIO' }]);
    // Touching the first on its right: merged into one.
    expect(log.add(1536, 512, 'EIO')).toEqual([{ offset: 1536, length: 512, error: 'EIO' }]);
    expect(log.ranges).toEqual([
      { offset: 1024, length: 1024, error: 'EIO' },
      { offset: 4096, length: 512, error: 'EIO' },
    ]);
    // Already known: nothing new.
    expect(log.add(1024, 1024, 'EIO')).toEqual([]);
    // Spanning both with gaps: the gaps are what is new, and all becomes one range.
    expect(log.add(512, 5000, 'EIO')).toEqual([
      { offset: 512, length: 512, error: 'EIO' },
      { offset: 2048, length: 2048, error: 'EIO' },
      { offset: 4608, length: 904, error: 'EIO' },
    ]);
    expect(log.ranges).toEqual([{ offset: 512, length: 5000, error: 'EIO' }]);
    expect(log.covers(600, 100)).toBe(true);
    expect(log.covers(5000, 600)).toBe(false);
  });
});
