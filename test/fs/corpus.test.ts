// The benchmark corpus cards (made by ../shared/corpus/make_card.py), when present: every deleted
// file whose directory entry survives must be found under its card name (modulo the lost first
// byte of an 8.3 name) with the right first cluster (or it among the high-word alternatives).
// Formatted FAT cards count too: their surviving subfolders are found as orphans.
// Cards are looked for in ../corpus-out/<scenario>/card.img, in fixtures/disk-images/*.img with
// make_card truth files, and in $PHOTORESCUE_CORPUS_OUT/<scenario>/card.img.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openVolumes } from '../../src/fs/index.ts';
import { openImage, sha256File } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../..');

interface CardTruth {
  image_sha256: string;
  scenario?: { fs?: string; steps?: { op: string }[] };
  files: {
    path: string;
    state: string;
    clusters?: number[][];
    dirent_lost?: boolean;
    dirent_offset?: number;
    deleted_step?: number | null;
    written_step?: number;
  }[];
}

function cards(): { name: string; img: string; truth: string }[] {
  const out: { name: string; img: string; truth: string }[] = [];
  const scan = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const s of readdirSync(dir)) {
      const img = join(dir, s, 'card.img');
      if (existsSync(img) && existsSync(join(dir, s, 'truth.json'))) out.push({ name: s, img, truth: join(dir, s, 'truth.json') });
    }
  };
  scan(process.env.PHOTORESCUE_CORPUS_WORK ?? '/tmp/photorescue-corpus');
  if (process.env.PHOTORESCUE_CORPUS_OUT) scan(process.env.PHOTORESCUE_CORPUS_OUT);
  const fx = join(ROOT, 'fixtures/disk-images');
  if (existsSync(fx)) {
    for (const f of readdirSync(fx)) {
      if (!f.endsWith('.img') || f.startsWith('fs-')) continue;
      const truth = join(fx, f.replace(/\.img$/, '.truth.json'));
      if (!existsSync(truth)) continue;
      const t = JSON.parse(readFileSync(truth, 'utf8')) as Partial<CardTruth>;
      if (Array.isArray(t.files) && t.files.some((x) => x.clusters)) out.push({ name: f, img: join(fx, f), truth });
    }
  }
  return out;
}

const found = cards();

describe.runIf(found.length > 0)('corpus cards', () => {
  for (const card of found) {
    it(`${card.name}: deleted files with a surviving entry are found by name and first cluster`, () => {
      const truth = JSON.parse(readFileSync(card.truth, 'utf8')) as CardTruth;
      const img = openImage(card.img);
      try {
        const { volumes } = openVolumes(img);
        expect(volumes.length).toBeGreaterThan(0);
        const entries = volumes.flatMap((v) => v.entries());
        const exfat = volumes.some((v) => v.fs === 'exfat');
        const steps = truth.scenario?.steps ?? [];
        // exFAT truth has no dirent fields: a deleted file keeps its entry unless a later write
        // step reused the slots, so only files deleted after the last write count there.
        const lastWrite = steps.reduce((m, s, i) => (s.op === 'write' || s.op === 'format' ? i : m), -1);
        const targets = truth.files.filter(
          (f) =>
            f.clusters &&
            ((f.state === 'deleted' && (exfat ? (f.deleted_step ?? -1) > lastWrite : f.dirent_lost === false)) ||
              // Quick-formatted FAT: the folders below the root survive and are found as orphans.
              (f.state === 'formatted' && !exfat && f.dirent_lost === false)),
        );
        const misses: string[] = [];
        let named = 0;
        let exactNames = 0;
        let aliasOnly = 0;
        for (const f of targets) {
          const folder = dirname(f.path) === '.' ? '' : dirname(f.path);
          const name = basename(f.path);
          const first = f.clusters![0][0];
          const here = entries.filter((x) => x.state === 'deleted' && !x.isDir && x.folder === folder);
          const e = here.find((x) => x.name.length === name.length && x.name.slice(1) === name.slice(1));
          if (!e) {
            // A long name overwritten by newer entries leaves only the 8.3 alias ("IMG_01~2.HEI").
            const alias = here.find((x) => /~\d/.test(x.name) && (x.firstCluster === first || (x.altFirstClusters ?? []).includes(first)));
            if (alias) aliasOnly++;
            else misses.push(`${f.path}: no entry`);
            continue;
          }
          named++;
          if (e.name === name) exactNames++;
          if (e.firstCluster !== first && !(e.altFirstClusters ?? []).includes(first)) misses.push(`${f.path}: first cluster ${e.firstCluster}, truth ${first}`);
        }
        console.log(
          `${card.name}: ${named}/${targets.length} deleted files found by name (${exactNames} with the exact first character), ` +
            `${aliasOnly} only by their 8.3 alias, ${misses.length} misses`,
        );
        expect(misses).toEqual([]);
        expect(sha256File(card.img)).toBe(truth.image_sha256);
      } finally {
        img.close();
      }
    }, 120_000);
  }
});

// Without any corpus card the suite above is skipped; this keeps the file from being empty.
describe('corpus discovery', () => {
  it('lists only cards that have an image and a truth file', () => {
    for (const c of found) expect(existsSync(c.img) && existsSync(c.truth)).toBe(true);
  });
  afterAll(() => undefined);
});
