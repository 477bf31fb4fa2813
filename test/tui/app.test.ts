// The whole dashboard in-process, drawing into a headless xterm, with the real engine on the
// demo card: views, palette, keymap help, preview pictures, resize, pause/cancel, settings.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/tui/app.ts';
import { DEFAULT_SETTINGS, loadSettings } from '../../src/tui/settings.ts';
import { DEMO, demoTruth, recoveredFiles, sha256File, tmpDir } from '../e2e/helpers/dashboard.ts';
import { todayStamp } from '../../src/tui/format.ts';
import { HeadlessTerm } from './helpers/headless.ts';

const work = tmpDir('pr-tui-app-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function start(cols: number, rows: number, name: string, graphics: 'blocks' | 'kitty' = 'blocks'): { app: App; t: HeadlessTerm; settingsFile: string } {
  const t = new HeadlessTerm(cols, rows);
  const settingsFile = path.join(work, name, 'settings.json');
  const app = startApp({
    term: t,
    caps: { color: 'truecolor', graphics },
    demoImage: DEMO,
    settings: { ...DEFAULT_SETTINGS },
    settingsFile,
    cwd: work,
  });
  return { app, t, settingsFile };
}

const wanted = demoTruth().files.filter((f) => f.state === 'deleted' && f.recoverable);

describe('dashboard in a headless terminal', () => {
  it('shows the workbench at 80x24: activity bar, drives, tabs, panel, status bar', async () => {
    const { app, t } = start(80, 24, 'a');
    const text = await t.waitFor((x) => x.includes('Demo card'), 'drives');
    const lines = await t.lines();
    expect(lines[0]).toContain('DRIVES AND IMAGES');
    expect(lines[0]).toContain('Welcome');
    expect(text).toContain('OUTPUT');
    expect(text).toContain('PROBLEMS');
    expect(lines[23]).toMatch(/no source │ idle │ JPEG 0 HEIC 0 MP4 0 MOV 0/);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    app.run('workbench.quit');
    await app.done;
  });

  it('scans, shows counts and the map, previews a photo in colour, groups by type from the palette', async () => {
    const { app, t, settingsFile } = start(100, 30, 'b');
    await t.waitFor((x) => x.includes('Demo card'), 'drives');
    t.key('d');
    let text = await t.waitFor((x) => x.includes('Scan done'), 'the scan');
    expect(text).toContain(`FOUND FILES ${wanted.length}`);
    expect(text).toMatch(/JPEG 7\s+HEIC 1\s+MP4 1\s+MOV 1/);
    expect(text).toContain('█'); // map cells where files were found
    expect(app.state().scan.state).toBe('done');

    // Enter on the first JPEG previews it; the picture is half blocks in 24-bit colour
    const jpeg = wanted.find((f) => f.type === 'jpeg')!;
    const name = path.basename(jpeg.path);
    const rows = await t.lines();
    const target = rows.findIndex((l) => l.includes(name));
    for (let i = 0; i < target - 2; i++) t.key('down');
    t.key('enter');
    text = await t.waitFor((x) => x.includes('first bytes') && (x.match(/▀/g) ?? []).length > 100, 'the preview');
    expect(text).toContain(`${name} ×`);
    const at = (await t.find('▀'))!;
    const b = t.term.buffer.active;
    const colours = new Set<number>();
    for (let dx = 0; dx < 20; dx++) {
      const cell = b.getLine(at.y + 3)!.getCell(at.x + dx)!;
      if (cell.getChars() === '▀') {
        expect(cell.isFgRGB()).toBe(true);
        colours.add(cell.getFgColor());
      }
    }
    expect(colours.size).toBeGreaterThan(3); // a picture, not a flat box

    // the preview follows the cursor, up to the HEIC (decoded by libheif's wasm in the worker)
    t.key('up');
    text = await t.waitFor((x) => x.includes('HEIC (.heic)') && (x.match(/▀/g) ?? []).length > 100, 'the HEIC preview');
    expect(text).not.toContain('no preview');

    // palette: fuzzy "group type" runs "Group by Type"
    t.key('C-p');
    await t.waitFor((x) => x.includes('Commands') && x.includes('> '), 'the palette');
    await t.type('group type');
    await t.waitFor((x) => x.includes('Group by Type'), 'the match');
    t.key('enter');
    text = await t.waitFor((x) => x.includes('JPEG photos'), 'grouping by type');
    expect(text).toContain('HEIC photos');

    // ? shows the keymap
    t.key('?');
    text = await t.waitFor((x) => x.includes('Keyboard shortcuts'), 'help');
    expect(text).toMatch(/F9, Alt\+b\s+View: Toggle Side Bar/);
    t.key('escape');
    await t.waitFor((x) => !x.includes('Keyboard shortcuts'), 'help to close');

    // resize: everything is drawn again at the new size
    t.resize(80, 24);
    text = await t.waitFor((x) => (x.split('\n')[23] ?? '').includes('JPEG 7 HEIC 1 MP4 1 MOV 1'), 'the status bar at 80x24');
    expect((await t.lines()).every((l) => l.length <= 80)).toBe(true);
    t.resize(120, 40);
    await t.waitFor((x) => (x.split('\n')[39] ?? '').includes('JPEG 7 HEIC 1 MP4 1 MOV 1'), 'the status bar at 120x40');

    app.run('workbench.quit');
    await app.done;
    const saved = loadSettings(settingsFile);
    expect(saved.grouping).toBe('type');
  });

  it('pauses, resumes and cancels a scan', async () => {
    const before = sha256File(DEMO);
    const { app, t } = start(100, 30, 'c');
    await t.waitFor((x) => x.includes('Demo card'), 'drives');
    t.key('d');
    t.key('p');
    let text = await t.waitFor((x) => x.includes('PAUSED'), 'the pause');
    expect(text).toContain(' Resume ');
    expect(app.state().scan.state).toBe('paused');
    t.key('p');
    expect(app.state().scan.state).toBe('scanning');
    t.key('p');
    t.key('q'); // quitting mid-run asks first
    expect(app.state().notice!.text).toContain('press q again');
    t.key('c');
    text = await t.waitFor((x) => x.includes('CANCELLED'), 'the cancel');
    expect(text).toContain('Scan cancelled');
    app.run('workbench.quit');
    await app.done;
    expect(sha256File(DEMO)).toBe(before);
  });

  it('opens an image by path with Tab completion and reports a missing one as a problem', async () => {
    const { app, t, settingsFile } = start(100, 30, 'd');
    await t.waitFor((x) => x.includes('Demo card'), 'drives');
    // a missing file: one-line notice
    t.key('o');
    await t.waitFor((x) => x.includes('Open disk image'), 'the prompt');
    await t.type('/nonexistent/card.img');
    t.key('enter');
    await t.waitFor((x) => x.includes('No such file: /nonexistent/card.img'), 'the notice');

    // Tab completes a path: a copy of the demo card in a folder of its own
    const dir = path.join(work, 'images');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(DEMO, path.join(dir, 'card-copy.img'));
    const copySha = sha256File(path.join(dir, 'card-copy.img'));
    t.key('o');
    await t.waitFor((x) => x.includes('Open disk image'), 'the prompt');
    await t.type(`${dir}/ca`);
    t.key('tab');
    await t.waitFor((x) => x.includes(`${dir}/card-copy.img`), 'the completion');
    t.key('enter');
    await t.waitFor((x) => x.includes('Scan done'), 'the scan of the copy');
    expect(app.state().scan.source).toBe(path.join(dir, 'card-copy.img'));
    app.run('workbench.quit');
    await app.done;
    // remembered in recent images
    expect(loadSettings(settingsFile).recentImages[0]).toBe(path.join(dir, 'card-copy.img'));
    expect(sha256File(path.join(dir, 'card-copy.img'))).toBe(copySha);
  });

  it('recovers all files to the default folder and shows it on the Scan tab', async () => {
    const before = sha256File(DEMO);
    const { app, t } = start(100, 30, 'f');
    await t.waitFor((x) => x.includes('Demo card'), 'drives');
    t.key('d');
    await t.waitFor((x) => x.includes('Scan done'), 'the scan');
    t.key('R');
    await t.waitFor((x) => x.includes(`Recover ${wanted.length} files to folder`), 'the prompt');
    t.key('enter');
    const out = path.join(work, `recovered-${todayStamp()}`);
    await t.waitFor((x) => x.includes(`Recovered ${wanted.length} of ${wanted.length} files`), 'the recovery');
    expect(app.state().activeTab).toBe('scan'); // the Scan tab opened with the scan
    const text = await t.waitFor((x) => x.includes(`Recovered ${wanted.length}/${wanted.length} files`), 'the scan tab line');
    expect(text).toContain(out.slice(0, 20));
    const got = recoveredFiles(out);
    expect([...got.values()].sort()).toEqual(wanted.map((f) => f.sha256).sort());
    app.run('workbench.quit');
    await app.done;
    expect(sha256File(DEMO)).toBe(before);
  });

  it('sends the picture through kitty graphics when the terminal has them, and removes it with the tab', async () => {
    const { app, t } = start(100, 30, 'g', 'kitty');
    await t.waitFor((x) => x.includes('Demo card'), 'drives');
    t.key('d');
    await t.waitFor((x) => x.includes('Scan done'), 'the scan');
    t.key('down');
    t.key('down');
    t.key('enter');
    await t.waitFor((x) => x.includes('first bytes') && (x.match(/▀/g) ?? []).length > 100, 'the preview');
    const place = /\x1b_Ga=T,f=24,i=(\d+),s=(\d+),v=(\d+),c=(\d+),r=(\d+),C=1,q=2,m=[01];/.exec(t.written);
    expect(place).not.toBeNull();
    const img = app.state().previews[app.state().tabs.find((x) => x.kind === 'preview')!.fileId!].image!;
    expect([Number(place![2]), Number(place![3])]).toEqual([img.width, img.height]);
    const before = t.written.length;
    t.key('w'); // close the preview tab
    await t.waitFor((x) => !x.includes('first bytes'), 'the tab to close');
    expect(t.written.slice(before)).toContain(`\x1b_Ga=d,d=I,i=${place![1]},q=2\x1b\\`);
    app.run('workbench.quit');
    await app.done;
  });

  it('answers the mouse: activity icons, rows, check boxes, wheel', async () => {
    const { app, t } = start(80, 24, 'e');
    await t.waitFor((x) => x.includes('Demo card'), 'drives');
    const disk = (await t.find('(vda)')) ?? (await t.find('Demo card'))!;
    t.click(disk.x, disk.y); // one click selects
    const demo = (await t.find('Demo card'))!;
    t.click(demo.x, demo.y);
    expect(app.state().drives[app.state().driveCursor].kind).toBe('demo');
    expect(app.state().scan.state).toBe('idle'); // a single click does not scan
    t.click(demo.x, demo.y); // a double click does
    await t.waitFor((x) => x.includes('Scan done'), 'the scan');
    const box = (await t.find('[ ]'))!;
    t.click(box.x + 1, box.y);
    await t.waitFor((x) => x.includes('[x]') && x.includes('1 selected'), 'a tick');
    t.wheel(box.x, box.y, true);
    const icon = (await t.find('⚠'))!;
    t.click(icon.x, icon.y);
    await t.waitFor((x) => x.includes('No problems.'), 'the problems view');
    app.run('workbench.quit');
    await app.done;
  });

  it('left the demo card as it was after all the scans above', () => {
    expect(sha256File(DEMO)).toBe(demoTruth().image_sha256);
  });
});
