// Bad input gets one clear line and the right exit code; nothing recovered is lost.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO, listFiles, runCli, sha256File, tmpDir } from '../helpers/corpus.ts';

const DEMO = path.join(REPO, 'fixtures/disk-images/demo.img');

describe('errors', () => {
  it('usage errors exit 2 with one line', () => {
    const r = runCli(['recover', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out/);
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['recover', DEMO, '--out', '/tmp/x', '--types', 'gif']).code).toBe(2);
  });

  it('a missing source exits 3', () => {
    const r = runCli(['recover', '/nonexistent/card.img', '--out', tmpDir('missing')]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a source the user may not read exits 3 and says how to get access', () => {
    const dir = tmpDir('perm');
    fs.chmodSync(dir, 0o755);
    const img = path.join(dir, 'card.img');
    fs.copyFileSync(DEMO, img);
    fs.chmodSync(img, 0o600);
    const out = path.join(dir, 'out');
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'recover', img, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/ermission/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('a full output disk', () => {
    const mnt = tmpDir('full');
    afterAll(() => {
      spawnSync('umount', [mnt]);
      fs.rmSync(mnt, { recursive: true, force: true });
    });
    it('stops with exit 4 and one line, keeps whole files only, and resumes once there is space', () => {
      const before = sha256File(DEMO);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
      const out = path.join(mnt, 'out');
      const r = runCli(['recover', DEMO, '--out', out]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/full/);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('photorescue:'))).toHaveLength(1);
      const truth = JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/disk-images/demo.truth.json'), 'utf8')) as { files: { sha256: string }[] };
      const wanted = new Set(truth.files.map((f) => f.sha256));
      const kept = listFiles(path.join(out, 'recovered'));
      for (const p of kept) expect(wanted.has(sha256File(path.join(out, 'recovered', p)))).toBe(true);
      expect(listFiles(out).filter((p) => p.endsWith('.part'))).toEqual([]);
      // Space freed: the same command finishes the job without writing the kept files again.
      const inodes = kept.map((p) => fs.statSync(path.join(out, 'recovered', p)).ino);
      execFileSync('mount', ['-o', 'remount,size=8m', mnt]);
      const again = runCli(['recover', DEMO, '--out', out]);
      expect(again.code).toBe(0);
      const all = listFiles(path.join(out, 'recovered')).map((p) => sha256File(path.join(out, 'recovered', p)));
      expect(new Set(all).size).toBe(all.length);
      for (const f of truth.files.filter((x) => (x as { recoverable?: boolean }).recoverable)) expect(all).toContain(f.sha256);
      expect(kept.map((p) => fs.statSync(path.join(out, 'recovered', p)).ino)).toEqual(inodes);
      expect(sha256File(DEMO)).toBe(before);
    });
  });
});
