// What the figures were measured on: date, commit, CPU, cores, memory, Node and tool versions.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Machine {
  date: string;
  commit: string;
  cpu: string;
  cores: number;
  memGiB: number;
  node: string;
  tools: Record<string, string>;
}

function firstLine(cmd: string[], cwd?: string, pick?: RegExp): string {
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, encoding: 'utf8' });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (pick) return pick.exec(text)?.[0] ?? 'unknown';
  return text.split('\n').find((l) => l.trim())?.trim() ?? 'unknown';
}

export function machine(root: string): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' })
    .stdout?.trim();
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: firstLine(['git', 'rev-parse', '--short', 'HEAD'], root) + (dirty ? ' (+ uncommitted changes)' : ''),
    cpu: /model name\s*: (.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    tools: {
      photorescue: pkg.version,
      photorec: firstLine(['photorec', '/version'], undefined, /PhotoRec [\d.]+/),
      tsk_recover: firstLine(['tsk_recover', '-V']),
      'score.py': firstLine(['python3', '--version']),
    },
  };
}
