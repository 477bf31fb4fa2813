// The dashboard inside a real tmux: it draws the workbench, and keys that tmux passes
// through (F9 for the side bar, ? for the keymap, Ctrl+P for the palette) work.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, DEMO, demoTruth, sha256File, tmpDir } from './helpers/dashboard.ts';

const SESSION = `prtui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const capture = () => {
  try {
    return tmux('capture-pane', '-p', '-t', SESSION);
  } catch {
    return ''; // the session ends with the program
  }
};

async function waitFor(test: (t: string) => boolean, what: string): Promise<string> {
  const end = Date.now() + 30_000;
  while (true) {
    const t = capture();
    if (test(t)) return t;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${t}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dashboard in tmux', () => {
  const work = tmpDir('pr-tui-tmux-');
  afterAll(() => {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone: the test quit it
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('shows the workbench and answers keys', async () => {
    const run = `XDG_CONFIG_HOME=${JSON.stringify(path.join(work, 'cfg'))} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
    // the shell's lines around the program show whether the terminal was given back cleanly
    const cmd = `cd ${JSON.stringify(work)} && echo before-dashboard; ${run}; echo "dashboard-exit=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', cmd);
    let t = await waitFor((x) => x.includes('DRIVES AND IMAGES') && x.includes('Demo card'), 'the workbench');
    expect(t).toContain('Welcome');
    expect(t).toContain('OUTPUT');
    expect(t).toMatch(/no source │ idle/);

    tmux('send-keys', '-t', SESSION, 'F9');
    t = await waitFor((x) => !x.includes('DRIVES AND IMAGES'), 'the side bar to hide');
    tmux('send-keys', '-t', SESSION, 'M-b'); // Alt+B, the other side bar key
    await waitFor((x) => x.includes('DRIVES AND IMAGES'), 'the side bar to come back');

    tmux('send-keys', '-t', SESSION, '?');
    t = await waitFor((x) => x.includes('Keyboard shortcuts'), 'the keymap');
    expect(t).toContain('Show All Commands');
    tmux('send-keys', '-t', SESSION, 'Escape');
    await waitFor((x) => !x.includes('Keyboard shortcuts'), 'the keymap to close');

    tmux('send-keys', '-t', SESSION, 'C-p');
    await waitFor((x) => x.includes('Commands') && x.includes('> '), 'the palette');
    tmux('send-keys', '-t', SESSION, '-l', 'demo');
    t = await waitFor((x) => x.includes('Open the Demo Card'), 'the palette to match');
    tmux('send-keys', '-t', SESSION, 'Enter');
    t = await waitFor((x) => x.includes('Scan done'), 'the demo scan');
    expect(t).toContain('FOUND FILES');

    tmux('send-keys', '-t', SESSION, 'q');
    t = await waitFor((x) => x.includes('dashboard-exit='), 'the program to quit');
    expect(t.split('\n').slice(0, 2)).toEqual(['before-dashboard', 'dashboard-exit=0']);
    expect(sha256File(DEMO)).toBe(demoTruth().image_sha256);
  });
});
