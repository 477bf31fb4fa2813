// Real-system helpers for the source tests: temp images, loop devices, hashes, a Node that runs .ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

export function sha256File(p: string): string {
  return createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

/** A fresh temp folder that others (uid 65534) may enter, so only file modes decide access. */
export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `photorescue-${prefix}-`));
  fs.chmodSync(d, 0o755);
  return d;
}

/** Write `size` random bytes to `p` and return them. */
export function writeRandomImage(p: string, size: number): Buffer {
  const data = randomBytes(size);
  fs.writeFileSync(p, data);
  return data;
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** Attach `file` read-only to a free loop device; returns /dev/loopN. */
export function attachLoop(file: string): string {
  return run('losetup', ['-r', '-f', '--show', file]).trim();
}

/** Detach a loop device we attached (never any other). Quiet if already gone. */
export function detachLoop(dev: string | undefined): void {
  if (!dev) return;
  spawnSync('losetup', ['-d', dev], { stdio: 'ignore' });
}

/** Node 24 from the project's devDependencies (type stripping), whatever node runs vitest. */
export function projectNode(): string {
  const p = path.join(REPO, 'node_modules/node/bin/node');
  return fs.existsSync(p) ? p : process.execPath;
}

export interface ChildOpen {
  ok: boolean;
  name?: string;
  kind?: string;
  message?: string;
  size?: number;
}

/** Run openSource(target) in a child process as uid/gid 65534 (nobody) with no groups. */
export function openAsNobody(target: string): ChildOpen {
  const script = `
    import { openSource } from ${JSON.stringify(path.join(REPO, 'src/source/index.ts'))};
    try { const s = openSource(${JSON.stringify(target)}); console.log(JSON.stringify({ ok: true, size: s.size })); s.close(); }
    catch (e) { console.log(JSON.stringify({ ok: false, name: e.name, kind: e.kind, message: e.message })); }
  `;
  const out = execFileSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', projectNode(), '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: '/', timeout: 60_000 },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildOpen;
}
