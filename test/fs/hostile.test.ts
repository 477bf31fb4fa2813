// Hostile and damaged images, made by patching copies of the committed cards: looping chains,
// folders that contain themselves or their parent, absurd sizes, odd names, bad BPBs, random
// damage. Nothing may hang or throw; work stays bounded.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferReader } from '../../src/core/readers.ts';
import type { ByteReader } from '../../src/core/types.ts';
import { openVolumes } from '../../src/fs/index.ts';
import { LIMITS } from '../../src/fs/volume-common.ts';
import { rng, sha256File } from './helpers.ts';

const DIR = join(import.meta.dirname, '../../fixtures/disk-images');
const TMP = mkdtempSync(join(tmpdir(), 'fs-hostile-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const originals = new Map<string, string>();
/** A patched in-memory copy of a card (the committed file is checked unchanged). */
function card(name: string): Buffer {
  const src = join(DIR, `${name}.img`);
  if (!originals.has(src)) originals.set(src, sha256File(src));
  const dst = join(TMP, `${name}.img`);
  copyFileSync(src, dst);
  return readFileSync(dst);
}

/** Everything a caller might do with a medium: open, walk, follow chains, test clusters. */
function exercise(m: ByteReader): { volumes: number; entries: number; problems: string[] } {
  const r = openVolumes(m);
  let entries = 0;
  for (const v of r.volumes) {
    const es = v.entries();
    entries += es.length;
    for (const e of es.slice(0, 2000)) {
      expect(e.name.isWellFormed()).toBe(true);
      expect(e.folder.isWellFormed()).toBe(true);
      v.chain(e.firstCluster, 4096);
      v.isFree(e.firstCluster);
      v.clusterOffset(e.firstCluster);
    }
  }
  return { volumes: r.volumes.length, entries, problems: r.problems };
}

function setFat12(img: Buffer, fatStart: number, c: number, v: number): void {
  const at = fatStart + c + (c >> 1);
  const cur = img.readUInt16LE(at);
  img.writeUInt16LE(c & 1 ? (cur & 0x000f) | (v << 4) : (cur & 0xf000) | v, at);
}

const entryOf = (img: Buffer, name: string) => {
  const v = openVolumes(bufferReader(img)).volumes[0];
  return { v, e: v.entries().find((x) => x.name === name)! };
};

describe('FAT12 card, patched', () => {
  it('a looping chain gives null, and a bounded prefix stays usable', () => {
    const img = card('fs-fat12');
    const { e } = entryOf(img, 'IMG_0001.JPG');
    expect(e.firstCluster).toBe(5);
    // Cluster 8 is the last of IMG_0001.JPG (1688 bytes, 512-byte clusters): point it back at 5.
    for (const fat of [512, 512 + 12 * 512]) setFat12(img, fat, 8, 5);
    const v = openVolumes(bufferReader(img)).volumes[0];
    expect(v.chain(5, 100)).toBeNull();
    expect(v.chain(5, 2)).toEqual([5, 6]);
    expect(v.entries().some((x) => x.name === 'IMG_0001.JPG')).toBe(true);
  });

  it('a chain broken in the first FAT is read from the second copy', () => {
    const img = card('fs-fat12');
    setFat12(img, 512, 6, 0); // IMG_0001.JPG is 5 -> 6 -> 7 -> 8; zero 6 in FAT 1 only
    const v = openVolumes(bufferReader(img)).volumes[0];
    expect(v.chain(5, 10)).toEqual([5, 6, 7, 8]);
    setFat12(img, 512 + 12 * 512, 6, 0);
    expect(openVolumes(bufferReader(img)).volumes[0].chain(5, 10)).toBeNull();
  });

  it('after a quick format, folders nothing leads to are found and walked', () => {
    const img = card('fs-fat12');
    // What mkfs does to this card: empty FATs (two copies of 12 sectors) and an empty root.
    for (const fat of [512, 512 + 12 * 512]) {
      img.fill(0, fat, fat + 12 * 512);
      Buffer.from([0xf8, 0xff, 0xff]).copy(img, fat);
    }
    img.fill(0, 512 + 24 * 512, 512 + 24 * 512 + 512 * 32);
    const es = openVolumes(bufferReader(img)).volumes[0].entries();
    const one = es.find((e) => e.name === 'IMG_0001.JPG')!;
    // The lost folder of the root holding DCF folders is named DCIM (a guess, and marked so).
    expect(es.find((e) => e.folder === '' && e.isDir)).toMatchObject({ name: 'DCIM', nameInferred: true, firstCluster: 2 });
    expect(one).toMatchObject({ folder: 'DCIM/100CANON', state: 'deleted', firstCluster: 5, size: 1688 });
    expect(es.some((e) => e.folder === 'DCIM/101CANON' && e.name === 'IMG_0101.JPG')).toBe(true);
    expect(es.every((e) => e.state === 'deleted' && e.orphan)).toBe(true);
  });

  it('a folder that contains itself or its parent is read once', () => {
    const img = card('fs-fat12');
    const { e: self } = entryOf(img, 'IMG_0003.JPG');
    const { e: parent } = entryOf(img, 'MVI_0004.MP4');
    img[self.entryOffset + 11] = 0x10;
    img.writeUInt16LE(3, self.entryOffset + 26); // DCIM/100CANON is cluster 3
    img[parent.entryOffset + 11] = 0x10;
    img.writeUInt16LE(2, parent.entryOffset + 26); // DCIM is cluster 2
    const r = exercise(bufferReader(img));
    expect(r.volumes).toBe(1);
    expect(r.entries).toBeLessThan(30);
  });

  it('sizes beyond the volume: live entries are kept as they are, deleted ones dropped', () => {
    const img = card('fs-fat12');
    const { e: live } = entryOf(img, 'IMG_0001.JPG');
    const { e: dead } = entryOf(img, 'IMG_0002.JPG');
    expect(dead.state).toBe('deleted');
    img.writeUInt32LE(0xffffffff, live.entryOffset + 28);
    img.writeUInt32LE(0xffffffff, dead.entryOffset + 28);
    const v = openVolumes(bufferReader(img)).volumes[0];
    const es = v.entries();
    expect(es.find((x) => x.name === 'IMG_0001.JPG')!.size).toBe(0xffffffff);
    expect(v.chain(5, 0xffffffff / 512)).toEqual([5, 6, 7, 8]);
    expect(es.some((x) => x.name.endsWith('MG_0002.JPG'))).toBe(false);
  });

  it('names with "/", ".." and control bytes come back raw, as valid strings', () => {
    const img = card('fs-fat12');
    const { e } = entryOf(img, 'IMG_0003.JPG');
    Buffer.from('../\x01\x02   JPG', 'latin1').copy(img, e.entryOffset);
    const { e: jp } = entryOf(img, '日本の写真.jpg');
    // The long name's first UTF-16 unit sits in the LFN slot just before the 8.3 entry.
    img.writeUInt16LE(0xd800, jp.entryOffset - 32 + 1);
    const es = openVolumes(bufferReader(img)).volumes[0].entries();
    expect(es.some((x) => x.name === '../\x01\x02.JPG')).toBe(true);
    expect(es.some((x) => x.name === '\ufffd本の写真.jpg')).toBe(true);
  });

  it('stops at the entry cap and says so', () => {
    const img = card('fs-fat12');
    const keep = LIMITS.maxEntries;
    LIMITS.maxEntries = 3;
    try {
      const r = openVolumes(bufferReader(img));
      expect(r.volumes[0].entries()).toHaveLength(3);
      expect(r.problems.some((p) => p.includes('more than 3'))).toBe(true);
    } finally {
      LIMITS.maxEntries = keep;
    }
  });
});

describe('bad BPBs give no volume and a problem', () => {
  const base = 1024 * 1024; // fs-fat16 partition offset
  const cases: [string, (b: Buffer) => void][] = [
    ['bytes per sector 0', (b) => b.writeUInt16LE(0, base + 11)],
    ['bytes per sector 513', (b) => b.writeUInt16LE(513, base + 11)],
    ['sectors per cluster 0', (b) => (b[base + 13] = 0)],
    ['sectors per cluster 3', (b) => (b[base + 13] = 3)],
    ['no reserved sectors', (b) => b.writeUInt16LE(0, base + 14)],
    ['no FATs', (b) => (b[base + 16] = 0)],
    ['FAT size 0', (b) => b.writeUInt16LE(0, base + 22)],
    ['total sectors 0', (b) => (b.writeUInt16LE(0, base + 19), b.writeUInt32LE(0, base + 32))],
    ['total sectors huge', (b) => (b.writeUInt16LE(0, base + 19), b.writeUInt32LE(0xffffffff, base + 32))],
    ['root entries 0', (b) => b.writeUInt16LE(0, base + 17)],
  ];
  for (const [what, patch] of cases) {
    it(what, () => {
      const img = card('fs-fat16');
      patch(img);
      const r = exercise(bufferReader(img));
      expect(r.volumes).toBe(0);
      expect(r.problems.some((p) => p.startsWith('partition 1'))).toBe(true);
    });
  }
  it('FAT32 root cluster out of range', () => {
    const img = card('fs-fat32');
    img.writeUInt32LE(0x0fffffff, base + 44);
    img.writeUInt32LE(0x0fffffff, base + 6 * 512 + 44); // and in the backup boot sector
    const r = exercise(bufferReader(img));
    expect(r.volumes).toBe(0);
    expect(r.problems.join('\n')).toMatch(/root cluster/);
  });
  it('a volume longer than the image is opened, with a problem', () => {
    const img = card('fs-fat16').subarray(0, 8 * 1024 * 1024);
    const r = exercise(bufferReader(img));
    expect(r.volumes).toBe(1);
    expect(r.problems.join('\n')).toMatch(/past the end/);
  });
});

describe('damaged tables and boot sectors', () => {
  it('a damaged FAT32 boot sector: the backup at sector 6 is used', () => {
    const img = card('fs-fat32');
    img.fill(0, 1024 * 1024, 1024 * 1024 + 512);
    const r = openVolumes(bufferReader(img));
    expect(r.volumes).toHaveLength(1);
    expect(r.volumes[0].entries().some((e) => e.name === 'Sunset över sjön.jpg')).toBe(true);
    expect(r.problems.join('\n')).toMatch(/backup boot sector/);
  });
  it('a wiped MBR: the volume is found where partitions usually start', () => {
    const img = card('fs-fat16');
    img.fill(0, 0, 512);
    const r = openVolumes(bufferReader(img));
    expect(r.volumes).toHaveLength(1);
    expect(r.partitions[0]).toMatchObject({ offset: 1024 * 1024, fs: 'fat16', label: 'TRASHCARD' });
    expect(r.problems.join('\n')).toMatch(/no partition table lists/);
  });
  it('logical partitions in an extended partition are read', () => {
    const fat12 = card('fs-fat12');
    const img = Buffer.alloc(4096 * 512 + fat12.length);
    fat12.copy(img, 4096 * 512);
    const entry = (at: number, type: number, start: number, count: number): void => {
      img[at + 4] = type;
      img.writeUInt32LE(start, at + 8);
      img.writeUInt32LE(count, at + 12);
    };
    entry(446, 0x05, 2048, 2048 + fat12.length / 512);
    img.writeUInt16LE(0xaa55, 510);
    entry(2048 * 512 + 446, 0x01, 2048, fat12.length / 512); // relative to the EBR
    entry(2048 * 512 + 462, 0x05, 2048, 1); // a link back to itself: must not loop
    img.writeUInt16LE(0xaa55, 2048 * 512 + 510);
    const r = openVolumes(bufferReader(img));
    expect(r.partitions).toHaveLength(1);
    expect(r.partitions[0]).toMatchObject({ index: 5, offset: 4096 * 512, fs: 'fat12', label: 'PHOTOS12' });
    expect(r.volumes[0].entries().length).toBe(14);
  });
});

describe('exFAT card, patched', () => {
  it('a folder pointing at its parent is read once', () => {
    const img = card('fs-exfat');
    const v = openVolumes(bufferReader(img)).volumes[0];
    const dcim = v.entries().find((x) => x.name === 'DCIM')!;
    const cam = v.entries().find((x) => x.name === 'Camera')!;
    img.writeUInt32LE(dcim.firstCluster, cam.entryOffset + 32 + 20);
    const r = exercise(bufferReader(img));
    expect(r.volumes).toBe(1);
    expect(r.entries).toBeLessThan(30);
  });
  it('after a quick format, folders nothing leads to are found and walked', () => {
    const img = card('fs-exfat');
    const base = 1024 * 1024;
    const bps = 2 ** img[base + 108];
    const cs = bps * 2 ** img[base + 109];
    const heap = base + img.readUInt32LE(base + 88) * bps;
    const root = heap + (img.readUInt32LE(base + 96) - 2) * cs;
    // What mkfs.exfat leaves: a root with only its system entries, and an empty bitmap.
    let at = root;
    while (img[at] !== 0x85) at += 32;
    img.fill(0, at, root + cs);
    at = root;
    while (img[at] !== 0x81) at += 32;
    const bitmap = heap + (img.readUInt32LE(at + 20) - 2) * cs;
    img.fill(0, bitmap, bitmap + Number(img.readBigUInt64LE(at + 24)));
    const es = openVolumes(bufferReader(img)).volumes[0].entries();
    expect(es.find((e) => e.folder === '')).toMatchObject({ name: 'DCIM', nameInferred: true, isDir: true, orphan: true });
    expect(es.find((e) => e.name === 'Familie Müller 日本.jpg')).toMatchObject({ folder: 'DCIM/Camera', state: 'deleted', orphan: true, size: 3075 });
    expect(es.filter((e) => !e.isDir)).toHaveLength(9);
  });

  it('a cluster count beyond the FAT is refused', () => {
    const img = card('fs-exfat');
    img.writeUInt32LE(0xfffffff0, 1024 * 1024 + 92);
    const r = exercise(bufferReader(img));
    expect(r.volumes).toBe(0);
    expect(r.problems.length).toBeGreaterThan(0);
  });
});

describe('partition tables', () => {
  it('a damaged primary GPT header falls back to the backup', () => {
    const img = card('fs-fat32');
    img.writeUInt32LE((img.readUInt32LE(512 + 16) ^ 1) >>> 0, 512 + 16); // break the primary header's CRC
    const r = openVolumes(bufferReader(img));
    expect(r.volumes).toHaveLength(1);
    expect(r.partitions[0].label).toBe('PHOTOS');
    expect(r.problems.join('\n')).toMatch(/backup/);
  });
  it('random bytes, an empty medium and a lone 55 AA give no volume and no throw', () => {
    const rand = rng(7);
    const junk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
    expect(exercise(bufferReader(junk)).volumes).toBe(0);
    expect(exercise(bufferReader(Buffer.alloc(0))).volumes).toBe(0);
    const sig = Buffer.alloc(4096);
    sig.writeUInt16LE(0xaa55, 510);
    expect(exercise(bufferReader(sig)).volumes).toBe(0);
  });
});

/** A medium with some bytes replaced, over an unchanged base (no copy of the whole image). */
function overlay(base: Buffer, patches: Map<number, number>): ByteReader {
  return {
    size: base.length,
    read(position, length) {
      const out = Buffer.from(base.subarray(position, Math.min(base.length, position + length)));
      for (const [at, v] of patches) if (at >= position && at < position + out.length) out[at - position] = v;
      return out;
    },
  };
}

describe('random damage to the metadata never throws', () => {
  const areas: [string, number, number][] = [
    ['fs-fat12', 0, 40 * 1024],
    ['fs-fat16', 1024 * 1024, 96 * 1024],
    ['fs-fat32', 1024 * 1024, 700 * 1024],
    ['fs-exfat', 1024 * 1024, 120 * 1024],
  ];
  for (const [name, start, len] of areas) {
    it(name, () => {
      const img = card(name);
      const rand = rng(name.length * 1000 + 1);
      for (let round = 0; round < 150; round++) {
        const patches = new Map<number, number>();
        const n = 1 + Math.floor(rand() * 24);
        for (let k = 0; k < n; k++) patches.set(start + Math.floor(rand() * len), Math.floor(rand() * 256));
        exercise(overlay(img, patches));
      }
    }, 120_000);
  }
});

describe('the committed cards', () => {
  it('are unchanged by all of the above', () => {
    for (const [path, sum] of originals) expect(sha256File(path)).toBe(sum);
  });
});
