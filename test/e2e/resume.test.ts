// A killed run resumes where it stopped and writes nothing twice; Ctrl-C stops cleanly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';

const DEMO = path.join(REPO, 'fixtures/disk-images/demo.img');
const TRUTH = JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/disk-images/demo.truth.json'), 'utf8')) as { files: { sha256: string; recoverable: boolean }[] };

/** Start recover with --json and kill it with `signal` after `after` files were written. */
function startAndKill(out: string, signal: NodeJS.Signals, after: number): Promise<{ code: number | null; sig: NodeJS.Signals | null; events: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'recover', DEMO, '--out', out, '--json', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: string[] = [];
    let written = 0;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        events.push(line);
        if (line.includes('"file.recovered"') && ++written === after) child.kill(signal);
      }
    });
    child.on('exit', (code, sig) => resolve({ code, sig, events }));
  });
}

function shas(out: string): string[] {
  return listFiles(path.join(out, 'recovered')).map((p) => sha256File(path.join(out, 'recovered', p)));
}

describe('resume', () => {
  it('after kill -9 mid-run, a second run finishes without writing anything twice', async () => {
    const before = sha256File(DEMO);
    const out = tmpDir('resume');
    const first = await startAndKill(out, 'SIGKILL', 3);
    expect(first.sig).toBe('SIGKILL');
    const afterKill = listFiles(path.join(out, 'recovered'));
    expect(afterKill.length).toBeGreaterThanOrEqual(3);
    // No half file under a final name: every file there is a whole original.
    const wanted = new Set(TRUTH.files.filter((f) => f.recoverable).map((f) => f.sha256));
    for (const s of shas(out)) expect(wanted.has(s)).toBe(true);
    const inodes = new Map(afterKill.map((p) => [p, fs.statSync(path.join(out, 'recovered', p)).ino]));

    const second = runCli(['recover', DEMO, '--out', out, '--json']);
    expect(second.code).toBe(0);
    const events = second.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'run.start').resumed).toBe(true);
    const all = shas(out);
    expect(new Set(all).size).toBe(all.length); // no duplicates
    for (const s of wanted) expect(all).toContain(s);
    // Files from the first run were kept, not written again.
    for (const [p, ino] of inodes) expect(fs.statSync(path.join(out, 'recovered', p)).ino).toBe(ino);
    expect(listFiles(out).filter((p) => p.endsWith('.part'))).toEqual([]);
    expect(sha256File(DEMO)).toBe(before);
  });

  it('Ctrl-C stops with exit 130 and a checkpoint, and the next run completes', async () => {
    const out = tmpDir('sigint');
    const first = await startAndKill(out, 'SIGINT', 1);
    expect(first.code).toBe(130);
    const end = first.events.map((l) => JSON.parse(l)).find((e) => e.type === 'run.end');
    expect(end.status).toBe('cancelled');
    expect(fs.existsSync(path.join(out, '.photorescue/checkpoint.json'))).toBe(true);
    const second = runCli(['recover', DEMO, '--out', out]);
    expect(second.code).toBe(0);
    const all = shas(out);
    expect(new Set(all).size).toBe(all.length);
  });
});
