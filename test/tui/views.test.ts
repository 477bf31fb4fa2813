// Views drawn from a state, read back through a headless terminal: the scan tab's progress,
// sparkline, ETA and map colours; prompts and the problems panel at 80x24.
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import type { RecoveryEvent } from '../../src/core/types.ts';
import { diffGrids } from '../../src/tui/render/grid.ts';
import { initialState, reduce, type Action, type State } from '../../src/tui/state/store.ts';
import { T } from '../../src/tui/views/theme.ts';
import { hitAt, renderWorkbench } from '../../src/tui/views/workbench.ts';
import { manyFiles } from './helpers/headless.ts';

const { Terminal } = xterm;

async function show(s: State) {
  const frame = renderWorkbench(s);
  const t = new Terminal({ cols: s.cols, rows: s.rows, allowProposedApi: true });
  await new Promise<void>((r) => t.write(diffGrids(null, frame.grid, 'truecolor'), r));
  const b = t.buffer.active;
  const lines = Array.from({ length: s.rows }, (_, y) => b.getLine(y)!.translateToString(true));
  return { t, lines, text: lines.join('\n'), frame };
}

function scanning(cols: number, rows: number): State {
  const MiB = 1024 * 1024;
  const total = 64 * MiB;
  const events: (Action | RecoveryEvent)[] = [
    { type: 'scan/begin', source: '/cards/holiday.img', at: 0, size: total },
    { type: 'tab/open', tab: { id: 'scan', kind: 'scan', title: 'Scan holiday.img' } },
    { type: 'scan.progress', done: 8 * MiB, total, rate: 4e6, found: {} },
    {
      type: 'file.found',
      file: { id: 'a', format: 'jpeg', ext: 'jpg', size: 2 * MiB, extents: [{ offset: 0, length: 2 * MiB }], foundBy: 'carving', verdict: 'complete' },
    },
    // the engine's progress counts the files it has already reported
    { type: 'scan.progress', done: 16 * MiB, total, rate: 8e6, found: { jpeg: 1 } },
    {
      type: 'file.found',
      file: { id: 'b', format: 'mp4', ext: 'mp4', size: MiB, extents: [{ offset: 8 * MiB, length: MiB }], foundBy: 'carving', verdict: 'partial' },
    },
    { type: 'unreadable', range: { offset: 12 * MiB, length: MiB, error: 'EIO' } },
  ];
  return events.reduce(reduce, initialState({ cols, rows }));
}

describe('scan tab', () => {
  it('shows progress, rate, ETA, counts and a sparkline', async () => {
    const { text, lines } = await show(scanning(100, 30));
    expect(text).toContain('/cards/holiday.img  64 MiB');
    expect(text).toMatch(/SCANNING\s+25%\s+8\.0 MB\/s\s+ETA 0:06/);
    expect(text).toMatch(/throughput ▅█/); // 4 then 8 MB/s
    expect(text).toContain('JPEG 1  HEIC 0  MP4 1  MOV 0   complete 1  partial 1');
    expect(text).toContain(' Pause ');
    expect(text).toContain(' Cancel ');
    expect(lines[29]).toMatch(/holiday\.img │ scanning 25% │ 8\.0 MB\/s │ JPEG 1 HEIC 0 MP4 1 MOV 0 │ ETA 0:06/);
  });

  it('colours the map: intact green, partial yellow, unreadable red, scanned grey', async () => {
    const { t, lines } = await show(scanning(100, 30));
    const y = lines.findIndex((l) => l.includes('map ■ intact'));
    // read the map cells in order (row by row), remembering where each kind first shows
    const colours = new Map<string, number>();
    let i = 0;
    for (let row = y + 1; row < 22; row++) {
      const line = t.buffer.active.getLine(row)!;
      const x0 = lines[row].search(/[█·░]/);
      for (let x = x0; x >= 0 && x < lines[row].trimEnd().length; x++, i++) {
        const c = line.getCell(x)!;
        const key = `${c.getChars()}${c.getFgColor().toString(16)}`;
        if (!colours.has(key)) colours.set(key, i);
      }
    }
    const keys = [...colours.keys()];
    expect(keys).toContain(`█${T.ok.toString(16)}`);
    expect(keys).toContain(`█${T.warn.toString(16)}`);
    expect(keys).toContain(`█${T.err.toString(16)}`);
    expect(keys).toContain(`·${T.mapEmpty.toString(16)}`); // scanned, nothing there
    expect(keys).toContain(`░${T.mapUnscanned.toString(16)}`); // not reached yet
    // in medium order: the intact file is at the start, the partial one after it, then unreadable
    expect(colours.get(`█${T.ok.toString(16)}`)!).toBeLessThan(colours.get(`█${T.warn.toString(16)}`)!);
  });

  it('puts the unreadable range under Problems', async () => {
    let s = scanning(80, 24);
    s = reduce(s, { type: 'ui/panelTab', tab: 'problems' });
    const { text, lines } = await show(s);
    expect(text).toContain('PROBLEMS 1');
    expect(text).toContain('unreadable: 1048576 bytes at 12582912 (EIO)');
    expect(lines[0]).toMatch(/^▌▣ {2}DRIVES AND IMAGES/);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });
});

describe('overlays at 80x24', () => {
  it('draws a path prompt with completions and clickable OK/Cancel', async () => {
    let s = initialState({ cols: 80, rows: 24 });
    s = reduce(s, {
      type: 'ui/overlay',
      overlay: { kind: 'prompt', purpose: 'open-image', title: 'Open disk image (path)', value: '/cards/ca', paths: true, completions: ['card-a.img', 'card-b.img'] },
    });
    const { text, frame, lines } = await show(s);
    expect(text).toContain('Open disk image (path)');
    expect(text).toContain('/cards/ca');
    expect(text).toContain('card-b.img');
    const y = lines.findIndex((l) => l.includes(' OK '));
    const x = lines[y].indexOf(' OK ');
    expect(hitAt(frame.hits, x + 1, y)!.command).toBe('prompt.accept');
    expect(hitAt(frame.hits, lines[y].indexOf('Cancel'), y)!.command).toBe('prompt.cancel');
    // nothing under the prompt answers clicks while it is open
    expect(hitAt(frame.hits, 1, 22)).toBeUndefined();
  });

  it('lists every bound command in the keymap help', async () => {
    const s = reduce(initialState({ cols: 80, rows: 24 }), { type: 'ui/overlay', overlay: { kind: 'help', scroll: 0 } });
    const { text } = await show(s);
    expect(text).toContain('Keyboard shortcuts');
    expect(text).toMatch(/Ctrl\+p, F1\s+Show All Commands/);
  });
});

describe('any window size', () => {
  it('draws every view and overlay from 1x1 to 160x50 without failing, and asks for room below 40x12', () => {
    let base = initialState();
    base = reduce(base, { type: 'scan/begin', source: '/cards/x.img', at: 0, size: 1 << 30 });
    for (const f of manyFiles(60)) base = reduce(base, { type: 'file.found', file: f });
    base = reduce(base, { type: 'tab/open', tab: { id: 'scan', kind: 'scan', title: 'Scan' } });
    const overlays = [
      null,
      { kind: 'palette' as const, query: 'sc', cursor: 1 },
      { kind: 'help' as const, scroll: 5 },
      { kind: 'prompt' as const, purpose: 'filter' as const, title: 'Filter', value: 'x', paths: true, completions: ['a/', 'b'] },
    ];
    const preview = reduce(
      reduce(base, { type: 'tab/open', tab: { id: 'preview', kind: 'preview', title: 'P', fileId: 'f1' } }),
      { type: 'preview/set', data: { fileId: 'f1', status: 'ready', image: { width: 4, height: 3, rgb: new Uint8Array(36) }, meta: [['Camera', 'X']], hex: new Uint8Array(256) } },
    );
    for (const [cols, rows] of [[1, 1], [10, 5], [39, 11], [40, 12], [41, 13], [52, 16], [80, 24], [100, 30], [160, 50]]) {
      for (const activity of ['drives', 'scan', 'recovered', 'problems'] as const) {
        for (const st of [base, preview]) {
          for (const overlay of overlays) {
            const s = reduce(reduce(reduce(st, { type: 'ui/resize', cols, rows }), { type: 'ui/activity', activity }), { type: 'ui/overlay', overlay });
            const g = renderWorkbench(s).grid;
            expect(g.width).toBe(cols);
            expect(g.height).toBe(rows);
          }
        }
      }
    }
    const small = renderWorkbench(reduce(base, { type: 'ui/resize', cols: 39, rows: 20 })).grid.toText();
    expect(small).toContain('photorescue needs 40x12');
    expect(small).toContain('this window is 39x20');
  });
});
