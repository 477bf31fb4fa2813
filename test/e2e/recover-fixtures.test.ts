// The headless recover command on every committed fixture card: each intact deleted or formatted
// file back byte-exact (fragmented ones included), under its own name where the card keeps it,
// with its modified time, and nothing else written.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, listFiles, runCli, score, sha256File, tmpDir } from '../helpers/corpus.ts';
import type { Truth } from '../helpers/corpus.ts';

const DIR = path.join(REPO, 'fixtures/disk-images');
// Cards made by the corpus generator (the fs-* cards have their own tests in test/fs).
const CARDS = fs.readdirSync(DIR).filter((n) => n.endsWith('.truth.json') && !n.startsWith('fs-')).map((n) => n.replace(/\.truth\.json$/, ''));

describe.each(CARDS)('recover fixture %s', (name) => {
  it('every recoverable file exact, named, dated; no junk', () => {
    const image = path.join(DIR, `${name}.img`);
    const truthPath = path.join(DIR, `${name}.truth.json`);
    const truth = JSON.parse(fs.readFileSync(truthPath, 'utf8')) as Truth;
    const before = sha256File(image);
    const out = tmpDir(`fx-${name}`);
    const r = runCli(['recover', image, '--out', out]);
    expect(r.code).toBe(0);
    expect(sha256File(image)).toBe(before);

    const files = listFiles(path.join(out, 'recovered'));
    const bySha = new Map(files.map((p) => [sha256File(path.join(out, 'recovered', p)), p]));
    const wanted = new Set(truth.files.map((f) => f.sha256));
    // Nothing in recovered/ that is not one of the card's photos or videos.
    for (const [sha, p] of bySha) expect(wanted.has(sha), `${p} is not a file of the card`).toBe(true);
    for (const f of truth.files.filter((x) => x.recoverable)) {
      expect(bySha.has(f.sha256), `${f.path} recovered exact`).toBe(true);
      if (f.state === 'deleted' && !f.dirent_lost) {
        const rel = bySha.get(f.sha256)!;
        expect(path.basename(rel)).toBe(path.basename(f.path));
      }
    }
    // Live files are left alone unless asked for.
    for (const f of truth.files.filter((x) => x.state === 'live')) expect(bySha.has(f.sha256)).toBe(false);

    // Times: a deleted file keeps the modified time its directory entry holds (FAT: 2 s steps).
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    for (const rec of report.files) {
      if (!rec.original?.modified) continue;
      const st = fs.statSync(path.join(out, rec.path));
      expect(Math.abs(st.mtimeMs - new Date(rec.original.modified).getTime())).toBeLessThan(2000);
    }

    // How each was found: the filesystem's files carry their names (and 'both' when the carver
    // met their header too); files only carving found have no original name.
    for (const rec of report.files) expect(rec.foundBy).toBe(rec.original ? (rec.foundBy === 'both' ? 'both' : 'filesystem') : 'carving');
    if (truth.files.some((f) => f.state === 'deleted' && f.recoverable && f.contiguous && !f.dirent_lost)) expect(report.files.some((r: { foundBy: string }) => r.foundBy === 'both')).toBe(true);

    const s = score(out, truthPath);
    expect(s.junk_files).toBe(0);
    expect(s.embedded_files).toBe(0);
    expect(s.duplicates).toBe(0);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
