// Recover on the filesystem test cards (FAT12 without a table, FAT16 with trash folders, FAT32
// on GPT, exFAT with non-ASCII and fragmented files): every deleted or trashed photo and video
// comes back exact under recovered/<label>/<original folder>/<original name>, dated.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';

const DIR = path.join(REPO, 'fixtures/disk-images');
const CARDS = ['fs-fat12', 'fs-fat16', 'fs-fat32', 'fs-exfat'];

interface FsTruthFile {
  path: string;
  folder: string;
  name: string;
  nameInferred?: boolean;
  overwritten?: boolean;
  isDir: boolean;
  size: number;
  sha256?: string;
  modified?: string;
  state: 'live' | 'deleted' | 'trash';
  trashOriginalPath?: string;
}

/**
 * Where a file should land: its folder and name (for trash, the place it was trashed from), as a
 * pattern: a deleted folder whose 8.3 name lost its first letter with nothing to tell it back
 * may come out with any first character.
 */
function expectedPath(label: string, f: FsTruthFile, guessedDirs: Set<string>): RegExp {
  const where = f.trashOriginalPath ? f.trashOriginalPath.replace(/^[A-Za-z]:/, '').split(/[\\/]+/).filter(Boolean).join('/') : path.posix.join(f.folder, f.name.replace(/^\.trashed-\d+-/, '')); // Android trash keeps the name after its prefix
  const parts = where.split('/');
  const re = parts.map((p, i) => {
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const dir = parts.slice(0, i + 1).join('/');
    return i < parts.length - 1 && guessedDirs.has(dir) ? `.${esc(p.slice(1))}` : esc(p);
  });
  return new RegExp(`^recovered/${label}/${re.join('/')}$`);
}

describe.each(CARDS)('recover %s', (name) => {
  it('puts every deleted and trashed photo and video back under its own name and folder', () => {
    const image = path.join(DIR, `${name}.img`);
    const truth = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.truth.json`), 'utf8')) as { label: string; files: FsTruthFile[] };
    const before = sha256File(image);
    const out = tmpDir(name);
    const r = runCli(['recover', image, '--out', out]);
    expect(r.code).toBe(0);
    expect(sha256File(image)).toBe(before);

    // Overwritten files are not expected back (and must not come back as whole: see below).
    const media = truth.files.filter((f) => !f.isDir && f.state !== 'live' && !f.overwritten && f.sha256 && /\.(jpe?g|heic|mp4|mov)$/i.test(f.name) && !f.name.startsWith('$I'));
    expect(media.length).toBeGreaterThan(0);
    const guessedDirs = new Set(truth.files.filter((f) => f.isDir && f.nameInferred).map((f) => f.path));
    const got = listFiles(out).map((p) => p.split(path.sep).join('/'));
    for (const f of media) {
      const want = expectedPath(truth.label, f, guessedDirs);
      const hit = got.find((p) => want.test(p));
      expect(hit, `${f.path} at ${want}`).toBeDefined();
      expect(sha256File(path.join(out, hit!)), hit).toBe(f.sha256);
      if (f.modified) expect(Math.abs(fs.statSync(path.join(out, hit!)).mtimeMs - new Date(f.modified).getTime())).toBeLessThan(2000);
    }
    // Nothing in recovered/ is anything but one of the card's files, whole.
    const shas = new Set(truth.files.filter((f) => f.sha256).map((f) => f.sha256));
    for (const p of got.filter((x) => x.startsWith('recovered/'))) expect(shas.has(sha256File(path.join(out, p))), p).toBe(true);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
