// The committed filesystem cards (fixtures/fs/build-fs-cards.sh, built by mkfs/mtools/exfat-fuse):
// every entry's name, folder, size, state and time against the truth file, and the bytes each
// entry leads to against the file's sha256.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openVolumes } from '../../src/fs/index.ts';
import type { FsEntry, Volume } from '../../src/fs/types.ts';
import { openImage, readRuns, sha256, sha256File, type Image } from './helpers.ts';

const DIR = join(import.meta.dirname, '../../fixtures/disk-images');

interface TruthFile {
  path: string;
  folder: string;
  name: string;
  isDir: boolean;
  size: number;
  sha256?: string;
  modified?: string;
  state: 'live' | 'deleted' | 'trash';
  nameInferred?: boolean;
  clusters?: number[][];
  fragmented?: boolean;
  overwritten?: boolean;
  direntLost?: boolean;
  trashName?: string;
  trashOriginalPath?: string;
}
interface Truth {
  image_sha256: string;
  table: 'none' | 'mbr' | 'gpt';
  fs: string;
  label: string;
  offset: number;
  files: TruthFile[];
}

/** Is `got` the expected name, allowing a different first character when the name was guessed? */
function nameMatches(got: string, want: string, inferred: boolean): boolean {
  return inferred ? got.length === want.length && got.slice(1) === want.slice(1) : got === want;
}

/** Folder match, allowing guessed first characters of deleted folders' names. */
function folderMatches(got: string, want: string, inferredDirs: Set<string>): boolean {
  const g = got ? got.split('/') : [];
  const w = want ? want.split('/') : [];
  if (g.length !== w.length) return false;
  return w.every((seg, i) => nameMatches(g[i], seg, inferredDirs.has(w.slice(0, i + 1).join('/'))));
}

function contiguousBytes(img: Image, v: Volume, first: number, size: number): Buffer {
  return img.read(v.clusterOffset(first), size);
}

function chainBytes(img: Image, v: Volume, first: number, size: number): Buffer | null {
  const chain = v.chain(first, Math.ceil(size / v.clusterSize));
  if (!chain) return null;
  return Buffer.concat(chain.map((c) => img.read(v.clusterOffset(c), v.clusterSize))).subarray(0, size);
}

for (const card of ['fs-fat12', 'fs-fat16', 'fs-fat32', 'fs-exfat']) {
  describe(card, () => {
    const path = join(DIR, `${card}.img`);
    const truth = JSON.parse(readFileSync(join(DIR, `${card}.truth.json`), 'utf8')) as Truth;
    const img = openImage(path);
    const opened = openVolumes(img);
    const vol = opened.volumes[0];
    const entries = vol ? vol.entries() : [];
    const expected = truth.files.filter((f) => !f.direntLost);
    const inferredDirs = new Set(truth.files.filter((f) => f.isDir && f.nameInferred).map((f) => f.path));
    afterAll(() => img.close());

    it('finds the partition, the filesystem and its label, without problems', () => {
      expect(sha256File(path)).toBe(truth.image_sha256);
      expect(opened.problems).toEqual([]);
      expect(opened.volumes).toHaveLength(1);
      expect(opened.partitions).toHaveLength(1);
      const p = opened.partitions[0];
      expect(p.scheme).toBe(truth.table);
      expect(p.offset).toBe(truth.offset);
      expect(p.fs).toBe(truth.fs);
      expect(p.label).toBe(truth.label);
      expect(vol.fs).toBe(truth.fs);
    });

    it('lists exactly the entries the card holds (no junk, none missing)', () => {
      const unmatched = entries.filter(
        (e) => !expected.some((f) => folderMatches(e.folder, f.folder, inferredDirs) && nameMatches(e.name, f.trashName ?? f.name, !!f.nameInferred)),
      );
      expect(unmatched.map((e) => `${e.folder}/${e.name}`)).toEqual([]);
      expect(entries).toHaveLength(expected.length);
    });

    for (const f of expected) {
      it(`${f.state} ${f.isDir ? 'folder' : 'file'} ${f.path}`, () => {
        const want = f.trashName ?? f.name;
        const e = entries.find((x) => folderMatches(x.folder, f.folder, inferredDirs) && nameMatches(x.name, want, !!f.nameInferred)) as FsEntry;
        expect(e, `entry for ${f.path}`).toBeDefined();
        expect(e.nameInferred).toBe(!!f.nameInferred);
        expect(e.isDir).toBe(f.isDir);
        expect(e.state).toBe(f.state);
        if (f.trashOriginalPath) expect(e.trashOriginalPath).toBe(f.trashOriginalPath);
        if (f.isDir) return;
        expect(e.size).toBe(f.size);
        expect(e.modified).toBe(f.modified);
        // The truth's own cluster list must give the file's bytes (checks the truth file).
        const starts = [e.firstCluster, ...(e.altFirstClusters ?? [])];
        if (f.clusters) {
          expect(sha256(readRuns(img, vol.clusterOffset, vol.clusterSize, f.clusters, f.size))).toBe(f.sha256);
          expect(starts).toContain(f.clusters[0][0]);
          // When the true start is an alternative, the entry says its own cluster is the unlikely one.
          expect(!!e.firstClusterUnlikely).toBe(e.firstCluster !== f.clusters[0][0]);
        }
        if (f.state !== 'deleted') {
          // Live and trashed files: the FAT chain (or exFAT run) gives the bytes.
          const bytes = e.contiguous ? contiguousBytes(img, vol, e.firstCluster, e.size) : chainBytes(img, vol, e.firstCluster, e.size);
          expect(bytes && sha256(bytes)).toBe(f.sha256);
        } else if (!f.fragmented && !f.overwritten) {
          // Deleted: one of the candidate first clusters leads to the file's bytes, read contiguously.
          const hits = starts.filter((c) => sha256(contiguousBytes(img, vol, c, e.size)) === f.sha256);
          expect(hits).toHaveLength(1);
          expect(vol.isFree(hits[0])).toBe(true);
        }
      });
    }

    it('leaves the image unchanged', () => {
      expect(sha256File(path)).toBe(truth.image_sha256);
    });
  });
}

describe('Windows-style deletes on FAT32 (high word of the first cluster zeroed)', () => {
  const path = join(DIR, 'fs-fat32.img');
  const img = openImage(path);
  const vol = openVolumes(img).volumes[0];
  afterAll(() => img.close());
  it('offers the true first cluster as the first alternative', () => {
    const e = vol.entries().find((x) => x.name === 'Sunset över sjön.jpg')!;
    expect(vol.clusterCount).toBeGreaterThan(0xffff);
    expect(e.firstCluster).toBeLessThan(0x10000);
    expect(e.altFirstClusters![0]).toBe(e.firstCluster + 0x10000);
  });
  it('finds the files of a deleted folder whose entry lost its high word', () => {
    const kids = vol.entries().filter((x) => /^DCIM\/.LD$/.test(x.folder));
    expect(kids.map((k) => k.name.slice(1)).sort()).toEqual(['MG_0201.JPG', 'VI_0202.MP4']);
  });
});

describe('trash records on the FAT16 card', () => {
  const img = openImage(join(DIR, 'fs-fat16.img'));
  const es = openVolumes(img).volumes[0].entries();
  afterAll(() => img.close());
  it('give the deletion time from $I (UTC) and .trashinfo (local)', () => {
    expect(es.find((e) => e.name === 'Beach day.JPG')!.trashedAt).toBe('2024-01-17T21:20:00.000Z');
    expect(es.find((e) => e.name === 'photo one.jpg')!.trashedAt).toBe('2024-02-01T10:00:00');
  });
  it('name a deleted $R file from its deleted $I record, and restore the $ of the record', () => {
    const lost = es.find((e) => e.name === 'Lost.JPG')!;
    expect(lost.state).toBe('deleted');
    expect(lost.nameInferred).toBe(false);
    expect(es.some((e) => e.name === '$IZZ9911.JPG' && e.nameInferred)).toBe(true);
  });
});
