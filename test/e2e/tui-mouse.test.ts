// A person at an 80x24 terminal using the mouse: clicks the demo card, a photo, the filter,
// two check boxes and Recover; the two files on disk match the card's truth.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { todayStamp } from '../../src/tui/format.ts';
import { BIN, DEMO, demoTruth, recoveredFiles, sha256File, tmpDir } from './helpers/dashboard.ts';
import { PtyScreen } from './helpers/pty-screen.ts';

describe('dashboard by mouse (80x24)', () => {
  const work = tmpDir('pr-tui-mouse-');
  let screen: PtyScreen | undefined;
  afterAll(() => {
    screen?.kill();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('clicks through scan, preview, filter, selection and recovery', async () => {
    const truth = demoTruth();
    const before = sha256File(DEMO);
    screen = new PtyScreen({
      args: [BIN],
      cols: 80,
      rows: 24,
      cwd: work,
      env: { TERM: 'xterm-256color', XDG_CONFIG_HOME: path.join(work, 'config') },
    });
    const s = screen;
    await s.waitFor('Demo card');
    // the toolbar's Demo button opens and scans the demo card
    await s.clickText(' Demo ');
    const wanted = truth.files.filter((f) => f.state === 'deleted' && f.recoverable);
    let t = await s.waitFor(`Scan done: ${wanted.length} files found`);
    expect(t).toContain(`FOUND FILES ${wanted.length}`);

    // activity bar: Drives, then back to the found files
    await s.clickText('▣');
    await s.waitFor('DRIVES AND IMAGES');
    await s.clickText('▤');
    await s.waitFor('FOUND FILES');

    // click a photo: its preview opens
    const jpegs = wanted.filter((f) => f.type === 'jpeg');
    const name = path.basename(jpegs[0].path);
    await s.clickText(name);
    t = await s.waitFor((x) => x.includes('first bytes') && x.includes('Name') && x.includes(`${name} ×`));
    expect(t).toContain('ff d8 ff');

    // the tab bar: the Scan tab shows the map, then back to the preview
    await s.clickText('Scan demo.img');
    await s.waitFor('map');
    await s.clickText(`${name} ×`.slice(0, name.length));
    await s.waitFor('first bytes');

    // filter with the toolbar's / button (typing the words is the keyboard's job)
    await s.clickText(' / ');
    await s.waitFor('Filter found files');
    await s.type('jpg');
    await s.clickText(' OK ');
    t = await s.waitFor((x) => x.includes('/jpg') && !x.includes('Filter found files'));
    expect(t).not.toContain('.HEIC');

    // tick the first two check boxes
    const boxes = () => s.lines().map((l, y) => ({ x: l.indexOf('[ ]'), y })).filter((b) => b.x >= 0);
    const first = boxes()[0];
    await s.click(first.x + 1, first.y);
    await s.waitFor('1 selected');
    const second = boxes()[0];
    await s.click(second.x + 1, second.y);
    await s.waitFor('2 selected');
    const ticked = s
      .lines()
      .filter((l) => l.includes('[x]'))
      .map((l) => jpegs.find((f) => l.includes(path.basename(f.path).slice(0, 8)))!);
    expect(ticked).toHaveLength(2);

    // Recover, accept the default folder with OK
    await s.clickText(' Recover ');
    await s.waitFor('Recover 2 files to folder');
    expect(s.text()).toContain(`./recovered-${todayStamp()}`);
    await s.clickText(' OK ');
    await s.waitFor('Recovered 2 of 2 files');
    const got = recoveredFiles(path.join(work, `recovered-${todayStamp()}`));
    expect([...got.values()].sort()).toEqual(ticked.map((f) => f.sha256).sort());

    s.send('q');
    expect(await s.exited).toBe(0);
    expect(sha256File(DEMO)).toBe(before);
  });
});
