// A person at a 100x30 terminal, keyboard only: opens the demo card, scans it, previews a
// photo, filters, selects, recovers to a folder; the files on disk match the card's truth.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, DEMO, demoTruth, recoveredFiles, sha256File, tmpDir } from './helpers/dashboard.ts';
import { PtyScreen } from './helpers/pty-screen.ts';

describe('dashboard by keyboard (100x30)', () => {
  const work = tmpDir('pr-tui-kb-');
  const config = path.join(work, 'config');
  let screen: PtyScreen | undefined;
  afterAll(() => {
    screen?.kill();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('scans the demo card, previews, filters, selects and recovers the deleted JPEGs', async () => {
    const truth = demoTruth();
    const before = sha256File(DEMO);
    expect(before).toBe(truth.image_sha256);
    screen = new PtyScreen({
      args: [BIN],
      cols: 100,
      rows: 30,
      cwd: work,
      env: { TERM: 'xterm-256color', COLORTERM: 'truecolor', XDG_CONFIG_HOME: config },
    });
    const s = screen;
    await s.waitFor('DRIVES AND IMAGES');
    await s.waitFor('Demo card');

    // open the demo card: it scans at once
    s.send('d');
    const wanted = truth.files.filter((f) => f.state === 'deleted' && f.recoverable);
    const count = (t: string) => wanted.filter((f) => f.type === t).length;
    const counts = `JPEG ${count('jpeg')} HEIC ${count('heic')} MP4 ${count('mp4')} MOV ${count('mov')}`;
    let t = await s.waitFor((x) => x.includes(`Scan done: ${wanted.length} files found`));
    expect(t).toContain(counts); // status bar
    expect(t).toContain(`FOUND FILES ${wanted.length}`);
    expect(t).toContain('EOS_DIGITAL/DCIM/100MEDIA');
    // the scan tab shows the counts and the map
    expect(t).toMatch(/DONE\s+100%/);
    expect(t).toContain('map');

    // preview the first photo: down to the first file, Enter
    const firstJpeg = wanted.find((f) => f.type === 'jpeg')!;
    const jpegName = path.basename(firstJpeg.path);
    s.send('\x1b[B');
    await s.waitFor((x) => /▸|▾/.test(x));
    // walk down until the cursor is on the first JPEG (files are sorted as the card had them)
    const rows = s.lines();
    const firstFileRow = rows.findIndex((l) => l.includes('[ ]'));
    const jpegRow = rows.findIndex((l) => l.includes(jpegName));
    for (let i = firstFileRow; i < jpegRow; i++) s.send('\x1b[B');
    s.send('\r');
    t = await s.waitFor((x) => x.includes('first bytes') && x.includes('Name') && x.includes(jpegName));
    expect(t).toContain('ff d8 ff'); // the hex view starts with a JPEG's SOI
    // the picture is drawn with half blocks in 24-bit colour
    t = await s.waitFor((x) => (x.match(/▀/g) ?? []).length > 50);
    const at = s.find('▀')!;
    const cell = s.cellColors(at.x + 2, at.y + 2);
    expect(cell.ch).toBe('▀');
    expect(cell.fg).toBeGreaterThanOrEqual(0);

    // filter to the JPEGs
    s.send('/');
    await s.waitFor('Filter found files');
    await s.type('jpg');
    s.send('\r');
    t = await s.waitFor((x) => x.includes('/jpg') && !x.includes('Filter found files'));
    const jpegs = wanted.filter((f) => f.type === 'jpeg');
    for (const f of jpegs) expect(t).toContain(path.basename(f.path));
    expect(t).not.toContain('.HEIC');
    expect(t).not.toContain('MVI_0111.MP4');

    // select two with Space, then all of the filtered ones with a
    s.send('\x1b[H'); // Home
    s.send('\x1b[B');
    s.send(' ');
    await s.waitFor('1 selected');
    s.send('\x1b[B');
    s.send(' ');
    await s.waitFor('2 selected');
    s.send('a');
    await s.waitFor(`${jpegs.length} selected`);

    // recover to a folder typed in the prompt
    s.send('r');
    await s.waitFor(`Recover ${jpegs.length} files to folder`);
    const out = path.join(work, 'out');
    s.send('\x15'); // Ctrl+U clears the default
    await s.type(out);
    s.send('\r');
    await s.waitFor(`Recovered ${jpegs.length} of ${jpegs.length} files`);

    const got = recoveredFiles(out);
    expect([...got.values()].sort()).toEqual(jpegs.map((f) => f.sha256).sort());
    for (const f of jpegs) expect([...got.keys()].some((k) => k.endsWith(path.basename(f.path)))).toBe(true);

    // the window shrinks to 80x24: the workbench is drawn again to fit
    s.resize(80, 24);
    // (the side bar of the 80-column layout ends at column 32)
    t = await s.waitFor((x) => {
      const l = x.split('\n');
      return l[0].startsWith(' ▣  FOUND FILES') && l[0][32] === '│' && (l[23] ?? '').includes('done │ JPEG 7 HEIC 1 MP4 1 MOV 1');
    });
    expect(s.lines().every((l) => l.length <= 80)).toBe(true);
    expect(t).toContain('IMG_0119.JPG');

    s.send('q');
    expect(await s.exited).toBe(0);
    expect(sha256File(DEMO)).toBe(before);
    // recent images and settings were saved where XDG says
    expect(fs.existsSync(path.join(config, 'photorescue/settings.json'))).toBe(true);
  });
});
