// Runs one command under GNU time (`/usr/bin/time -v`, Debian package "time") for its peak RSS,
// with our own monotonic clock for the wall time, and coreutils `timeout` so a hung tool is
// killed together with its children instead of blocking the whole benchmark.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface Timed {
  wallS: number;
  maxRssMiB: number;
  exitCode: number;
  timedOut: boolean;
}

export interface TimedOptions {
  cwd: string;
  /** where stdout+stderr of the tool go (stdout goes to /dev/null when stdoutToNull) */
  logFile: string;
  /** GNU time's report */
  timeFile: string;
  timeoutS: number;
  stdoutToNull?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function runTimed(cmd: string[], o: TimedOptions): Timed {
  const log = openSync(o.logFile, 'w');
  const nul = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(
      '/usr/bin/time',
      ['-v', '-o', o.timeFile, 'timeout', '-k', '10', String(o.timeoutS), ...cmd],
      { cwd: o.cwd, stdio: ['ignore', o.stdoutToNull ? nul : log, log], env: o.env ?? process.env },
    );
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.error) throw r.error;
    const exitCode = r.status ?? 128;
    return { wallS, maxRssMiB: peakRssMiB(o.timeFile), exitCode, timedOut: exitCode === 124 || exitCode === 137 };
  } finally {
    closeSync(log);
    closeSync(nul);
  }
}

/** GNU time -v: "Maximum resident set size (kbytes): N" (of the largest process waited for). */
function peakRssMiB(timeFile: string): number {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Runs a command to completion, throwing with its output if it fails. */
export function runChecked(cmd: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, encoding: 'utf8', env: env ?? process.env, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Flush dirty pages, then read the image once so every tool starts from a warm page cache. */
export function syncAndWarm(image: string): void {
  spawnSync('sync', [], { stdio: 'ignore' });
  const nul = openSync('/dev/null', 'w');
  try {
    spawnSync('cat', [image], { stdio: ['ignore', nul, 'ignore'] });
  } finally {
    closeSync(nul);
  }
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
