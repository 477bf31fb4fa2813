// The state store: a reducer over engine events and UI actions, no terminal involved.
import { describe, expect, it } from 'vitest';
import type { FoundFile, RecoveryEvent } from '../../src/core/types.ts';
import { CELL_INTACT, CELL_PARTIAL, CELL_UNREADABLE, MAP_BUCKETS } from '../../src/tui/state/scanmap.ts';
import { fileAtCursor, initialState, reduce, rowsOf, type Action, type State } from '../../src/tui/state/store.ts';
import { displayName } from '../../src/tui/state/tree.ts';
import { renderWorkbench } from '../../src/tui/views/workbench.ts';
import { manyFiles } from './helpers/headless.ts';

const run = (s: State, actions: Action[]) => actions.reduce(reduce, s);

function file(id: string, over: Partial<FoundFile> = {}): FoundFile {
  return {
    id,
    format: 'jpeg',
    ext: 'jpg',
    size: 100,
    extents: [{ offset: 0, length: 100 }],
    foundBy: 'filesystem',
    verdict: 'complete',
    ...over,
  };
}

describe('store: engine events', () => {
  const total = 1024 * 1024;
  const begin: Action = { type: 'scan/begin', source: '/tmp/card.img', at: 1000, size: total };

  it('counts found files by format and verdict, once per id', () => {
    const events: RecoveryEvent[] = [
      { type: 'file.found', file: file('a') },
      { type: 'file.found', file: file('b', { format: 'heic', ext: 'heic', verdict: 'partial' }) },
      { type: 'file.found', file: file('a', { foundBy: 'both' }) }, // the same file, found again
      { type: 'file.found', file: file('c', { format: 'mov', ext: 'mov' }) },
    ];
    const s = run(initialState(), [begin, ...events]);
    expect(s.files).toHaveLength(3);
    expect(s.files[0].foundBy).toBe('both');
    expect(s.scan.found).toEqual({ jpeg: 1, heic: 1, mp4: 0, mov: 1 });
    expect(s.scan.complete).toBe(2);
    expect(s.scan.partial).toBe(1);
    expect(s.scan.state).toBe('scanning');
  });

  it('takes progress (monotonic), rate history and the final state', () => {
    let s = run(initialState(), [
      begin,
      { type: 'scan.progress', done: 1000, total, rate: 5e6, found: { jpeg: 3 } },
      { type: 'scan.progress', done: 500, total, rate: 7e6, found: { jpeg: 2, mp4: 1 } },
    ]);
    expect(s.scan.done).toBe(1000);
    expect(s.scan.rate).toBe(7e6);
    expect(s.scan.rates).toEqual([5e6, 7e6]);
    expect(s.scan.found.jpeg).toBe(3);
    expect(s.scan.found.mp4).toBe(1);
    s = reduce(s, { type: 'paused', at: 2000 });
    expect(s.scan.state).toBe('paused');
    s = reduce(s, { type: 'resumed', at: 2100 });
    expect(s.scan.state).toBe('scanning');
    s = reduce(s, { type: 'run.end', at: 3000, status: 'done', recovered: 0, partial: 0, bytes: 0 });
    expect(s.scan.state).toBe('done');
    expect(s.scan.done).toBe(total);
    expect(s.output.some((l) => l.includes('run done'))).toBe(true);
  });

  it('marks the map: intact, partial, unreadable (worst wins)', () => {
    const bucket = total / MAP_BUCKETS;
    const s = run(initialState(), [
      begin,
      { type: 'file.found', file: file('a', { extents: [{ offset: 0, length: bucket * 2 }] }) },
      { type: 'file.found', file: file('b', { verdict: 'partial', extents: [{ offset: bucket * 10, length: 10 }] }) },
      { type: 'unreadable', range: { offset: bucket * 1, length: bucket / 2, error: 'EIO' } },
    ]);
    expect(s.map[0]).toBe(CELL_INTACT);
    expect(s.map[1]).toBe(CELL_UNREADABLE);
    expect(s.map[2]).toBe(0);
    expect(s.map[10]).toBe(CELL_PARTIAL);
    expect(s.scan.unreadable).toBe(1);
    expect(s.problems[0].message).toContain('unreadable');
  });

  it('sends problems to Problems and shows warnings as a notice', () => {
    const s = run(initialState(), [begin, { type: 'problem', problem: { severity: 'warning', message: 'FAT copies differ' } }]);
    expect(s.problems).toHaveLength(1);
    expect(s.notice).toEqual({ text: 'FAT copies differ', level: 'error' });
    const failed = reduce(s, { type: 'scan/failed', error: 'EACCES', at: 5 });
    expect(failed.scan.state).toBe('failed');
    expect(failed.problems.at(-1)!.message).toContain('EACCES');
  });

  it('counts what writeFound recovered and says where', () => {
    let s = run(initialState(), [begin, { type: 'file.found', file: file('a') }, { type: 'recover/begin', out: '/tmp/out', wanted: 1 }]);
    s = reduce(s, {
      type: 'file.recovered',
      file: { id: 'a', path: 'recovered/a.jpg', format: 'jpeg', ext: 'jpg', size: 100, sha256: 'x', foundBy: 'filesystem', extents: [], verdict: 'complete' },
    });
    s = reduce(s, { type: 'run.end', at: 1, status: 'done', recovered: 1, partial: 0, bytes: 100 });
    expect(s.scan.state).toBe('scanning'); // writeFound's run.end is not the scan's
    s = reduce(s, { type: 'recover/end', state: 'done' });
    expect(s.recover).toMatchObject({ written: 1, bytes: 100, state: 'done' });
    expect(s.notice!.text).toBe('Recovered 1 of 1 files to /tmp/out');
  });
});

describe('store: found-files tree', () => {
  const base = () => {
    let s = run(initialState({ cols: 100, rows: 30 }), [{ type: 'scan/begin', source: 'x', at: 0, size: 1 << 30 }]);
    for (const f of manyFiles(40)) s = reduce(s, { type: 'file.found', file: f });
    return run(s, [{ type: 'ui/activity', activity: 'recovered' }]);
  };

  it('shows folders as a tree (compact chains), with carved files under Carved/<format> last', () => {
    const s = base();
    const groups = rowsOf(s)
      .filter((r) => r.kind === 'group')
      .map((r) => (r.kind === 'group' ? `${'  '.repeat(r.depth)}${r.label}:${r.count}` : ''));
    // 40 files: every tenth is carved (4), the rest sit in DCIM/1xxCANON folders
    expect(groups[0]).toBe('EOS_DIGITAL/DCIM:36');
    expect(groups[1]).toBe('  100CANON:1');
    expect(groups.slice(-3)).toEqual(['Carved:4', '  heic:2', '  mov:2']);
    const files = rowsOf(s).filter((r) => r.kind === 'file');
    expect(files).toHaveLength(40);
    expect(files.every((r) => r.depth === 2)).toBe(true);
  });

  it('keeps a folder that has files and sub-folders as its own row', () => {
    let s = initialState();
    s = reduce(s, { type: 'scan/begin', source: 'x', at: 0, size: 1 << 20 });
    const orig = (folder: string, name: string) => ({ partition: 'p1', folder, name, nameInferred: false, state: 'deleted' as const, size: 1 });
    s = reduce(s, { type: 'file.found', file: file('a', { original: orig('DCIM', 'A.JPG') }) });
    s = reduce(s, { type: 'file.found', file: file('b', { original: orig('DCIM/100CANON', 'B.JPG') }) });
    s = reduce(s, { type: 'file.found', file: file('c', { original: orig('', 'C.JPG') }) });
    const shape = rowsOf(s).map((r) => `${'  '.repeat(r.depth)}${r.kind === 'group' ? r.label : displayName(s.files[r.index])}`);
    expect(shape).toEqual(['p1', '  DCIM', '    100CANON', '      B.JPG', '    A.JPG', '  C.JPG']);
    // a collapsed parent hides everything under it, and selecting it selects all of it
    const k = rowsOf(s).findIndex((r) => r.kind === 'group' && r.key === 'p1/DCIM');
    let t = run(s, [{ type: 'ui/activity', activity: 'recovered' }, { type: 'tree/toggleGroup', key: 'p1/DCIM' }]);
    expect(rowsOf(t)).toHaveLength(3);
    t = run(t, [{ type: 'list/to', index: k }, { type: 'tree/toggleSelect' }]);
    expect([...t.selected].sort()).toEqual(['a', 'b']);
  });

  it('groups by type and by date', () => {
    const byType = reduce(base(), { type: 'tree/grouping', grouping: 'type' });
    expect(rowsOf(byType).filter((r) => r.kind === 'group').map((r) => (r.kind === 'group' ? `${r.label}:${r.count}` : ''))).toEqual([
      'HEIC photos:10',
      'JPEG photos:10',
      'MOV videos:10',
      'MP4 videos:10',
    ]);
    const byDate = reduce(base(), { type: 'tree/grouping', grouping: 'date' });
    const labels = rowsOf(byDate).filter((r) => r.kind === 'group').map((r) => (r.kind === 'group' ? r.label : ''));
    expect(labels[0] > labels[1]).toBe(true); // newest first
    expect(labels.at(-1)).toBe('Unknown date'); // carved files have no date
  });

  it('filters by words in name, folder or type', () => {
    const s = reduce(base(), { type: 'tree/filter', filter: 'heic 105canon' });
    const names = rowsOf(s)
      .filter((r) => r.kind === 'file')
      .map((r) => (r.kind === 'file' ? displayName(s.files[r.index]) : ''));
    expect(names).toEqual(['IMG_000005.HEIC']);
    const carvedMov = reduce(base(), { type: 'tree/filter', filter: 'CARVED mov' });
    expect(rowsOf(carvedMov).filter((r) => r.kind === 'file').map((r) => (r.kind === 'file' ? displayName(carvedMov.files[r.index]) : ''))).toEqual([
      `f${Math.floor((19 * 4096) / 512)}.mov`,
      `f${Math.floor((39 * 4096) / 512)}.mov`,
    ]);
  });

  it('moves the cursor, collapses groups and selects files', () => {
    let s = base();
    s = run(s, [{ type: 'list/move', delta: 2 }]);
    expect(fileAtCursor(s)!.id).toBe('f0');
    s = reduce(s, { type: 'tree/toggleSelect' });
    expect([...s.selected]).toEqual(['f0']);
    s = reduce(s, { type: 'tree/toggleGroup', open: false }); // Left on a file collapses its folder
    expect(s.treeCursor).toBe(1);
    expect(rowsOf(s)[2].kind).toBe('group');
    s = run(s, [{ type: 'list/move', delta: 1 }, { type: 'tree/toggleSelect' }]); // Space on a group selects all of it
    expect([...s.selected].sort()).toEqual(['f0', 'f1']);
    s = run(s, [{ type: 'tree/filter', filter: 'mov' }, { type: 'tree/selectAll' }]);
    expect(s.selected.size).toBe(2 + 10);
    s = reduce(s, { type: 'tree/selectNone' });
    expect(s.selected.size).toBe(0);
  });

  it('keeps the cursor in view when scrolling and when the screen shrinks', () => {
    let s = base();
    s = reduce(s, { type: 'list/to', index: -1 });
    const n = rowsOf(s).length;
    expect(s.treeCursor).toBe(n - 1);
    expect(s.treeScroll).toBeGreaterThan(0);
    s = reduce(s, { type: 'ui/resize', cols: 80, rows: 12 });
    const h = 12 - 1 - 2; // status bar, sidebar title and toolbar
    expect(s.treeCursor - s.treeScroll).toBeLessThan(h);
  });
});

describe('store: workbench', () => {
  it('opens one preview tab at a time and closes tabs', () => {
    let s = initialState();
    s = reduce(s, { type: 'tab/open', tab: { id: 'scan', kind: 'scan', title: 'Scan' } });
    s = reduce(s, { type: 'tab/open', tab: { id: 'preview', kind: 'preview', title: 'A', fileId: 'a' } });
    s = reduce(s, { type: 'tab/open', tab: { id: 'preview', kind: 'preview', title: 'B', fileId: 'b' } });
    expect(s.tabs.map((t) => t.title)).toEqual(['Welcome', 'Scan', 'B']);
    expect(s.activeTab).toBe('preview');
    s = reduce(s, { type: 'tab/close' });
    expect(s.activeTab).toBe('scan');
    s = reduce(s, { type: 'tab/cycle', delta: 1 });
    expect(s.activeTab).toBe('welcome');
  });

  it('toggles side bar and panel and cycles focus over what is visible', () => {
    let s = initialState();
    s = reduce(s, { type: 'ui/toggleSidebar' });
    expect(s.sidebarVisible).toBe(false);
    expect(s.focus).toBe('editor');
    s = run(s, [{ type: 'ui/focusNext', delta: 1 }]);
    expect(s.focus).toBe('panel');
    s = run(s, [{ type: 'ui/togglePanel' }]);
    expect(s.focus).toBe('editor');
    s = run(s, [{ type: 'ui/focusNext', delta: 1 }]);
    expect(s.focus).toBe('editor');
  });

  it('scrolls the panel back through the output and follows the newest again', () => {
    let s = initialState({ cols: 100, rows: 30 });
    for (let i = 0; i < 20; i++) s = reduce(s, { type: 'output', line: `line ${i}` });
    s = reduce(s, { type: 'list/scroll', target: 'panel', delta: -3 });
    expect(s.panelScroll).toBe(3);
    const text = renderWorkbench(s).grid.toText();
    expect(text).toContain('line 16');
    expect(text).not.toContain('line 17');
    s = reduce(s, { type: 'list/scroll', target: 'panel', delta: -100 });
    expect(s.panelScroll).toBe(20 - 6); // no further than the first line
    s = reduce(s, { type: 'list/scroll', target: 'panel', delta: 1e9 });
    expect(s.panelScroll).toBe(0);
  });

  it('remembers ten recent images, newest first, without repeats', () => {
    let s = initialState();
    for (let i = 0; i < 12; i++) s = reduce(s, { type: 'recent/add', path: `/img/${i}.img` });
    s = reduce(s, { type: 'recent/add', path: '/img/5.img' });
    expect(s.recentImages).toHaveLength(10);
    expect(s.recentImages[0]).toBe('/img/5.img');
    expect(s.recentImages.filter((p) => p === '/img/5.img')).toHaveLength(1);
  });
});
