// Fragmented clips put back together by their sample tables, through the real CLI, on the
// scenario cards scripts/corpus-cards.sh builds: a FAT32 card whose clips were scattered over
// holes between noise files and then quick-formatted (no FAT, no directory to say where the
// pieces are), and an exFAT card with clips written two at once. The clips named here come back
// byte-exact (under recovered/ when every cluster was proved, else whole under partial/ with a
// reason saying how many clusters were taken on trust); nothing under recovered/ is a file the
// card never held.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusCard, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';

/** The fragmented clips each card must give back exact (by their truth sha256), and how many as complete. */
const EXACT: Record<string, string[]> = {
  'fat32-frag-formatted': ['apple_coremedia_moov_first.mp4', 'synth_mov_02.mov', 'android6_gps.mp4', 'flir_one.mp4'],
  'exfat-interleaved': ['synth_mp4_04.mp4', 'synth_mp4_06.mp4', 'synth_mp4_05.mp4', 'synth_mp4_01.mp4'],
};
const COMPLETE: Record<string, string[]> = {
  // Noise between the pieces: where a break lies inside a large picture is settled by slack, so
  // those clusters are taken on trust and the clips are written whole but marked partial.
  'fat32-frag-formatted': [],
  // Each clip fills the other's gaps exactly: every cluster is accounted for.
  'exfat-interleaved': ['synth_mp4_04.mp4', 'synth_mp4_06.mp4', 'synth_mp4_05.mp4', 'synth_mp4_01.mp4'],
};

describe.each(Object.keys(EXACT))('reassembly on %s', (name) => {
  it('gives the fragmented clips back exact and never a wrong file as complete', { timeout: 600_000 }, () => {
    const card = corpusCard(name);
    const before = sha256File(card.image);
    const out = tmpDir(`reassemble-${name}`);
    const r = runCli(['recover', card.image, '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(sha256File(card.image)).toBe(before);

    const got = new Set<string>();
    const known = new Set(card.truth.files.map((f) => f.sha256));
    const strangers: string[] = [];
    for (const rel of listFiles(path.join(out, 'recovered'))) {
      const h = sha256File(path.join(out, 'recovered', rel));
      got.add(h);
      if (!known.has(h)) strangers.push(rel);
    }
    expect(strangers).toEqual([]);
    for (const rel of listFiles(path.join(out, 'partial'))) got.add(sha256File(path.join(out, 'partial', rel)));

    const fragmented = card.truth.files.filter((f) => f.fragments > 1 && f.recoverable);
    const inRecovered = new Set(listFiles(path.join(out, 'recovered')).map((rel) => sha256File(path.join(out, 'recovered', rel))));
    for (const want of COMPLETE[name]) {
      const f = fragmented.find((x) => x.name === want);
      expect(f && inRecovered.has(f.sha256), `${want} complete under recovered/`).toBe(true);
    }
    for (const want of EXACT[name]) {
      const f = fragmented.find((x) => x.name === want);
      expect(f, `${want} is a fragmented clip on ${name}`).toBeDefined();
      expect(got.has(f!.sha256), `${want} back exact`).toBe(true);
    }

    // What report.json calls reassembled is what was written, and is complete.
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as { files: { path: string; verdict: string; reason?: string; sha256: string }[] };
    const reassembled = report.files.filter((x) => x.reason?.startsWith('reassembled'));
    for (const rec of reassembled) {
      if (rec.verdict === 'complete') expect(known.has(rec.sha256)).toBe(true);
      else expect(rec.reason).toMatch(/could not be proved/);
    }
    expect(reassembled.length).toBeGreaterThanOrEqual(EXACT[name].length);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
