// The dashboard's controller: owns the state, turns keys and clicks into commands, runs the
// engine (scan, writeFound) and the preview worker, and draws frames. Long work is async or
// in workers; the screen keeps answering.
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createRunControl, listDrives, scan, writeFound } from '../app/index.ts';
import { driveEntries } from './drive-list.ts';
import type { RunControl } from '../app/index.ts';
import type { FoundFile, RecoveryEvent } from '../core/types.ts';
import { resolveKey, type KeyContext } from './keymap.ts';
import { overlayKey } from './overlay-keys.ts';
import { todayStamp } from './format.ts';
import { completePath, expandHome } from './paths.ts';
import { PreviewClient } from './preview/client.ts';
import { kittyDelete, placeImage } from './preview/graphics.ts';
import type { PreviewReply } from './preview/worker.ts';
import type { TermCaps } from './render/color.ts';
import { diffGrids, type Grid } from './render/grid.ts';
import { saveSettings, type Settings } from './settings.ts';
import { inRect } from './state/layout.ts';
import {
  fileAtCursor,
  initialState,
  layoutOf,
  reduce,
  rowsOf,
  activeList,
  type Action,
  type DriveEntry,
  type Overlay,
  type State,
} from './state/store.ts';
import { displayName } from './state/tree.ts';
import type { KeyEvent, MouseEvent, TerminalIO } from './terminal/terminal.ts';
import { paletteItems } from './views/overlays.ts';
import { hitAt, renderWorkbench, wheelAt } from './views/workbench.ts';
import type { Hit } from './views/theme.ts';

export interface AppOptions {
  term: TerminalIO;
  caps: TermCaps;
  /** The demo card image (fixtures/disk-images/demo.img). */
  demoImage: string;
  /** An image to open (and scan) at start. */
  image?: string;
  settings: Settings;
  /** Where settings are saved (undefined: not saved). */
  settingsFile?: string;
  cwd?: string;
}

export interface App {
  readonly done: Promise<void>;
  state(): State;
  dispatch(a: Action): void;
  run(command: string, arg?: number | string): void;
}

export function startApp(o: AppOptions): App {
  const cwd = o.cwd ?? process.cwd();
  let state = initialState({
    cols: o.term.cols,
    rows: o.term.rows,
    recentImages: o.settings.recentImages.filter((p) => existsSync(p)),
    grouping: o.settings.grouping,
    sidebarVisible: o.settings.sidebarVisible,
    panelVisible: o.settings.panelVisible,
  });
  const caps: TermCaps = o.settings.graphics === 'blocks' ? { ...o.caps, graphics: 'blocks' } : o.caps;
  let prevGrid: Grid | null = null;
  let hits: Hit[] = [];
  let imageKey = '';
  let scheduled = false;
  let lastRender = 0;
  let control: RunControl | null = null;
  let filterBefore = '';
  let quitting = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const preview = new PreviewClient(onPreview);
  let noticeTimer: NodeJS.Timeout | null = null;
  let lastClick = { target: '', at: 0 };
  let quitAskedAt = 0;
  let saveTimer: NodeJS.Timeout | null = null;

  function dispatch(a: Action): void {
    const before = state;
    state = reduce(state, a);
    if (state.notice !== before.notice && state.notice) {
      if (noticeTimer) clearTimeout(noticeTimer);
      const n = state.notice;
      noticeTimer = setTimeout(() => {
        if (state.notice === n) dispatch({ type: 'ui/clearNotice' });
      }, 10_000);
      noticeTimer.unref();
    }
    if (
      state.recentImages !== before.recentImages ||
      state.grouping !== before.grouping ||
      state.sidebarVisible !== before.sidebarVisible ||
      state.panelVisible !== before.panelVisible
    ) {
      scheduleSave();
    }
    schedule();
  }

  function currentSettings(): Settings {
    return {
      ...o.settings,
      recentImages: state.recentImages,
      grouping: state.grouping,
      sidebarVisible: state.sidebarVisible,
      panelVisible: state.panelVisible,
    };
  }

  function saveNow(): void {
    if (!o.settingsFile) return;
    try {
      saveSettings(currentSettings(), o.settingsFile);
    } catch (e) {
      state = reduce(state, { type: 'problem', problem: { severity: 'warning', message: `settings not saved: ${(e as Error).message}` } });
    }
  }

  function scheduleSave(): void {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 300);
    saveTimer.unref();
  }

  function schedule(): void {
    if (scheduled || quitting) return;
    scheduled = true;
    // At most ~30 frames a second: a flood of engine events costs one frame per 33 ms.
    const wait = Math.max(0, 33 - (Date.now() - lastRender));
    setTimeout(render, wait);
  }

  function render(): void {
    scheduled = false;
    if (quitting) return;
    lastRender = Date.now();
    const frame = renderWorkbench(state);
    let out = diffGrids(prevGrid, frame.grid, caps.color);
    if (caps.graphics !== 'blocks') {
      const img = frame.images[0];
      const p = img ? state.previews[img.fileId]?.image : undefined;
      const key = img && p ? `${img.fileId}@${img.rect.x},${img.rect.y},${img.rect.w},${img.rect.h}` : '';
      if (key !== imageKey || (!prevGrid && key)) {
        if (imageKey && caps.graphics === 'kitty') out += kittyDelete();
        if (img && p) out += placeImage(caps.graphics, p, img.rect);
        imageKey = key;
      }
    }
    prevGrid = frame.grid;
    hits = frame.hits;
    o.term.write(out);
  }

  // ---- drives -------------------------------------------------------------------------

  async function refreshDrives(): Promise<void> {
    let drives: Awaited<ReturnType<typeof listDrives>> = [];
    try {
      drives = await listDrives();
    } catch (e) {
      dispatch({ type: 'problem', problem: { severity: 'warning', message: `could not list drives: ${(e as Error).message}` } });
    }
    dispatch({ type: 'drives/set', drives: driveEntries(drives, o.demoImage, state.recentImages) });
  }

  // ---- scanning -----------------------------------------------------------------------

  const running = () => state.scan.state === 'scanning' || state.scan.state === 'paused' || state.recover?.state === 'running';

  async function startScan(path: string): Promise<void> {
    if (running()) {
      notice('A run is going on: cancel it first (c).', 'error');
      return;
    }
    let size = 0;
    try {
      const st = statSync(path);
      size = st.isFile() ? st.size : 0;
    } catch (e) {
      problem(`Cannot open ${path}: ${(e as Error).message}`);
      return;
    }
    if (size && path !== o.demoImage && state.recentImages[0] !== path) {
      dispatch({ type: 'recent/add', path });
      void refreshDrives();
    }
    dispatch({ type: 'scan/begin', source: path, at: Date.now(), size });
    dispatch({ type: 'tab/open', tab: { id: 'scan', kind: 'scan', title: `Scan ${basename(path)}` } });
    dispatch({ type: 'ui/activity', activity: 'recovered' });
    const c = createRunControl();
    control = c;
    let ended = false;
    const emit = (e: RecoveryEvent) => {
      if (e.type === 'run.end') ended = true;
      dispatch(e);
    };
    try {
      const res = await scan({ source: path }, emit, c);
      if (!ended) dispatch({ type: 'run.end', at: Date.now(), status: res.status, recovered: 0, partial: 0, bytes: 0 });
      const n = state.files.length;
      notice(res.status === 'done' ? `Scan done: ${n} file${n === 1 ? '' : 's'} found.` : `Scan ${res.status}: ${n} files found so far.`, 'info');
    } catch (e) {
      dispatch({ type: 'scan/failed', error: (e as Error).message || String(e), at: Date.now() });
    } finally {
      if (control === c) control = null;
    }
  }

  function selectedDrive(): DriveEntry | undefined {
    return state.drives[state.driveCursor];
  }

  // ---- recovering ---------------------------------------------------------------------

  function askRecover(all: boolean): void {
    if (!state.scan.source || !state.files.length) {
      notice('Nothing to recover yet: scan a card first.', 'error');
      return;
    }
    if (!all && !state.selected.size) {
      notice('Nothing selected: Space selects a file, a selects all (or R recovers all).', 'error');
      return;
    }
    const n = all ? state.files.length : state.selected.size;
    openPrompt({
      kind: 'prompt',
      purpose: all ? 'recover-all' : 'recover-selected',
      title: `Recover ${n} file${n === 1 ? '' : 's'} to folder`,
      value: `./recovered-${todayStamp()}`,
      paths: true,
      completions: [],
    });
  }

  async function doRecover(outInput: string, all: boolean): Promise<void> {
    const source = state.scan.source;
    if (!source) return;
    if (running()) {
      notice('A run is going on: wait for it or cancel it (c).', 'error');
      return;
    }
    const out = resolve(cwd, expandHome(outInput.trim() || `./recovered-${todayStamp()}`));
    const files: FoundFile[] = all ? state.files.slice() : state.files.filter((f) => state.selected.has(f.id));
    dispatch({ type: 'recover/begin', out, wanted: files.length });
    const c = createRunControl();
    control = c;
    try {
      await writeFound(source, files, out, (e) => dispatch(e), c);
      dispatch({ type: 'recover/end', state: c.signal.aborted ? 'cancelled' : 'done' });
    } catch (e) {
      dispatch({ type: 'problem', problem: { severity: 'error', message: `recovery failed: ${(e as Error).message}` } });
      dispatch({ type: 'recover/end', state: 'failed' });
    } finally {
      if (control === c) control = null;
    }
  }

  // ---- preview ------------------------------------------------------------------------

  function openPreview(f: FoundFile): void {
    dispatch({ type: 'tab/open', tab: { id: 'preview', kind: 'preview', title: displayName(f), fileId: f.id } });
    const have = state.previews[f.id];
    if (have && have.status !== 'error') return;
    if (!state.scan.source) return;
    dispatch({ type: 'preview/set', data: { fileId: f.id, status: 'loading', meta: [] } });
    preview.request(state.scan.source, f, Math.max(120, layoutOf(state).editor.w));
  }

  function onPreview(r: PreviewReply): void {
    if (quitting) return;
    dispatch({
      type: 'preview/set',
      data: { fileId: r.fileId, status: r.error && !r.image ? 'error' : 'ready', image: r.image, meta: r.meta, hex: r.hex, error: r.error },
    });
  }

  function previewFollowsCursor(): void {
    const tab = state.tabs.find((t) => t.id === state.activeTab);
    if (tab?.kind !== 'preview') return;
    const f = fileAtCursor(state);
    if (f && f.id !== tab.fileId) openPreview(f);
  }

  // ---- overlays -----------------------------------------------------------------------

  function openPrompt(p: Overlay): void {
    dispatch({ type: 'ui/overlay', overlay: p });
  }

  function closeOverlay(): void {
    dispatch({ type: 'ui/overlay', overlay: null });
  }

  function acceptPrompt(): void {
    const o2 = state.overlay;
    if (o2?.kind !== 'prompt') return;
    closeOverlay();
    if (o2.purpose === 'filter') return;
    if (o2.purpose === 'open-image') {
      const path = resolve(cwd, expandHome(o2.value.trim()));
      if (!existsSync(path)) {
        problem(`No such file: ${path}`);
        return;
      }
      dispatch({ type: 'recent/add', path });
      void refreshDrives().then(() => {
        const i = state.drives.findIndex((d) => d.path === path);
        if (i >= 0) dispatch({ type: 'ui/activity', activity: 'drives' });
        if (i >= 0) dispatch({ type: 'list/to', index: i });
        void startScan(path);
      });
      return;
    }
    void doRecover(o2.value, o2.purpose === 'recover-all');
  }

  function cancelPrompt(): void {
    const o2 = state.overlay;
    if (o2?.kind === 'prompt' && o2.purpose === 'filter') dispatch({ type: 'tree/filter', filter: filterBefore });
    closeOverlay();
  }

  function onOverlayKey(e: KeyEvent): void {
    const ov = state.overlay!;
    const palette = ov.kind === 'palette' ? paletteItems(ov.query).map((i) => i.item.id) : [];
    const fx = overlayKey(ov, e, palette);
    if (fx.kind === 'close') closeOverlay();
    else if (fx.kind === 'run') {
      closeOverlay();
      run(fx.command);
    } else if (fx.kind === 'accept') acceptPrompt();
    else if (fx.kind === 'cancel') cancelPrompt();
    else if (fx.kind === 'complete' && ov.kind === 'prompt') {
      const c = completePath(ov.value, cwd);
      openPrompt({ ...ov, value: c.value, completions: c.candidates });
    } else if (fx.kind === 'edit') {
      openPrompt(fx.overlay);
      // the filter applies as it is typed
      if (fx.overlay.kind === 'prompt' && fx.overlay.purpose === 'filter') dispatch({ type: 'tree/filter', filter: fx.overlay.value });
    }
  }

  // ---- commands -----------------------------------------------------------------------

  /** A failure: listed under Problems and shown as the one-line notice. */
  function problem(message: string): void {
    dispatch({ type: 'problem', problem: { severity: 'error', message } });
  }

  /** A hint or a result: the one-line notice only. */
  function notice(text: string, level: 'info' | 'error'): void {
    dispatch({ type: 'ui/notice', text, level });
  }

  function listOpen(): void {
    const list = activeList(state);
    if (list === 'drives') {
      const d = selectedDrive();
      if (d) void startScan(d.path);
    } else if (list === 'tree') {
      const row = rowsOf(state)[state.treeCursor];
      if (row?.kind === 'group') dispatch({ type: 'tree/toggleGroup' });
      else if (row?.kind === 'file') openPreview(state.files[row.index]);
    }
  }

  function movePreview(delta: number): void {
    const rows = rowsOf(state);
    let i = state.treeCursor;
    do i += delta;
    while (i >= 0 && i < rows.length && rows[i].kind !== 'file');
    if (i < 0 || i >= rows.length) return;
    const focus = state.focus;
    dispatch({ type: 'ui/focus', focus: 'sidebar' });
    const act = state.activity;
    if (act !== 'recovered') dispatch({ type: 'ui/activity', activity: 'recovered' });
    dispatch({ type: 'list/to', index: i });
    dispatch({ type: 'ui/focus', focus });
    const f = fileAtCursor(state);
    if (f) openPreview(f);
  }

  const commands: Record<string, (arg?: number | string) => void> = {
    'workbench.palette': () => openPrompt({ kind: 'palette', query: '', cursor: 0 }),
    'workbench.help': () => openPrompt({ kind: 'help', scroll: 0 }),
    'workbench.quit': () => {
      // Quitting stops a running scan or recovery: ask for the key a second time first.
      const now = Date.now();
      if (running() && now - quitAskedAt > 3000) {
        quitAskedAt = now;
        notice('A run is going on: press q again to stop it and quit.', 'error');
        return;
      }
      quit();
    },
    'workbench.escape': () => {
      if (state.notice) dispatch({ type: 'ui/clearNotice' });
      else if (state.filter) dispatch({ type: 'tree/filter', filter: '' });
    },
    'view.drives': () => dispatch({ type: 'ui/activity', activity: 'drives' }),
    'view.scan': () => dispatch({ type: 'ui/activity', activity: 'scan' }),
    'view.recovered': () => dispatch({ type: 'ui/activity', activity: 'recovered' }),
    'view.problems': () => dispatch({ type: 'ui/activity', activity: 'problems' }),
    'view.toggleSidebar': () => dispatch({ type: 'ui/toggleSidebar' }),
    'view.togglePanel': () => dispatch({ type: 'ui/togglePanel' }),
    'view.output': () => dispatch({ type: 'ui/panelTab', tab: 'output' }),
    'view.problemsPanel': () => dispatch({ type: 'ui/panelTab', tab: 'problems' }),
    'view.scanTab': () => dispatch({ type: 'tab/open', tab: { id: 'scan', kind: 'scan', title: state.scan.source ? `Scan ${basename(state.scan.source)}` : 'Scan' } }),
    'focus.next': () => dispatch({ type: 'ui/focusNext', delta: 1 }),
    'focus.prev': () => dispatch({ type: 'ui/focusNext', delta: -1 }),
    'drives.openImage': () =>
      openPrompt({ kind: 'prompt', purpose: 'open-image', title: 'Open disk image (path)', value: '', paths: true, completions: [] }),
    'drives.openDemo': () => {
      const i = state.drives.findIndex((d) => d.kind === 'demo');
      if (state.activity !== 'drives') dispatch({ type: 'ui/activity', activity: 'drives' });
      if (i >= 0) dispatch({ type: 'list/to', index: i });
      void startScan(o.demoImage);
    },
    'drives.refresh': () => void refreshDrives(),
    'recent.open': (arg) => {
      const p = state.recentImages[Number(arg)];
      if (p) void startScan(p);
    },
    'drives.click': (arg) => {
      // One click selects, a double click scans (as a double click opens in a file manager).
      const i = Number(arg);
      const now = Date.now();
      const double = lastClick.target === `drive:${i}` && now - lastClick.at < 500;
      lastClick = { target: `drive:${i}`, at: now };
      dispatch({ type: 'ui/focus', focus: 'sidebar' });
      dispatch({ type: 'list/to', index: i });
      if (double) listOpen();
    },
    'scan.start': () => {
      const d = selectedDrive();
      if (!d) notice('Pick a drive or image first (1).', 'error');
      else void startScan(d.path);
    },
    'scan.rescan': () => {
      if (state.scan.source) void startScan(state.scan.source);
    },
    'scan.pauseResume': () => {
      if (!control) return;
      if (control.paused) {
        control.resume();
        dispatch({ type: 'resumed', at: Date.now() });
      } else {
        control.pause();
        dispatch({ type: 'paused', at: Date.now() });
      }
    },
    'scan.cancel': () => {
      if (!control) return;
      control.cancel();
      notice('Cancelling…', 'info');
    },
    'files.filter': () => {
      filterBefore = state.filter;
      if (state.activity !== 'recovered') dispatch({ type: 'ui/activity', activity: 'recovered' });
      openPrompt({ kind: 'prompt', purpose: 'filter', title: 'Filter found files (name, folder, type)', value: state.filter, paths: false, completions: [] });
    },
    'files.clearFilter': () => dispatch({ type: 'tree/filter', filter: '' }),
    'files.grouping': () => dispatch({ type: 'tree/grouping' }),
    'files.groupFolder': () => dispatch({ type: 'tree/grouping', grouping: 'folder' }),
    'files.groupType': () => dispatch({ type: 'tree/grouping', grouping: 'type' }),
    'files.groupDate': () => dispatch({ type: 'tree/grouping', grouping: 'date' }),
    'files.selectAll': () => dispatch({ type: 'tree/selectAll' }),
    'files.selectNone': () => dispatch({ type: 'tree/selectNone' }),
    'files.recoverSelected': () => askRecover(false),
    'files.recoverAll': () => askRecover(true),
    'files.preview': () => {
      const f = fileAtCursor(state);
      if (f) openPreview(f);
    },
    'preview.next': () => movePreview(1),
    'preview.prev': () => movePreview(-1),
    'tab.next': () => dispatch({ type: 'tab/cycle', delta: 1 }),
    'tab.prev': () => dispatch({ type: 'tab/cycle', delta: -1 }),
    'tab.close': (arg) => dispatch({ type: 'tab/close', id: typeof arg === 'string' ? arg : undefined }),
    'tab.activate': (arg) => dispatch({ type: 'tab/activate', id: String(arg) }),
    'panel.up': () => dispatch({ type: 'list/scroll', target: 'panel', delta: -1 }),
    'panel.down': () => dispatch({ type: 'list/scroll', target: 'panel', delta: 1 }),
    'panel.pageUp': () => dispatch({ type: 'list/scroll', target: 'panel', delta: -Math.max(1, (layoutOf(state).panelBody?.h ?? 2) - 1) }),
    'panel.pageDown': () => dispatch({ type: 'list/scroll', target: 'panel', delta: Math.max(1, (layoutOf(state).panelBody?.h ?? 2) - 1) }),
    'panel.end': () => dispatch({ type: 'list/scroll', target: 'panel', delta: 1e9 }),
    'list.up': () => {
      dispatch({ type: 'list/move', delta: -1 });
      previewFollowsCursor();
    },
    'list.down': () => {
      dispatch({ type: 'list/move', delta: 1 });
      previewFollowsCursor();
    },
    'list.pageUp': () => dispatch({ type: 'list/move', delta: -Math.max(1, (layoutOf(state).sidebarBody?.h ?? 2) - 1) }),
    'list.pageDown': () => dispatch({ type: 'list/move', delta: Math.max(1, (layoutOf(state).sidebarBody?.h ?? 2) - 1) }),
    'list.home': () => dispatch({ type: 'list/to', index: 0 }),
    'list.end': () => dispatch({ type: 'list/to', index: -1 }),
    'list.open': () => listOpen(),
    'list.toggle': () => dispatch({ type: 'tree/toggleSelect' }),
    'list.collapse': () => dispatch({ type: 'tree/toggleGroup', open: false }),
    'list.expand': () => dispatch({ type: 'tree/toggleGroup', open: true }),
    'tree.click': (arg) => {
      const i = Number(arg);
      dispatch({ type: 'ui/focus', focus: 'sidebar' });
      dispatch({ type: 'list/to', index: i });
      const row = rowsOf(state)[i];
      if (row?.kind === 'group') dispatch({ type: 'tree/toggleGroup', key: row.key });
      else if (row?.kind === 'file') openPreview(state.files[row.index]);
    },
    'tree.check': (arg) => {
      const row = rowsOf(state)[Number(arg)];
      if (row?.kind === 'file') dispatch({ type: 'tree/toggleSelect', id: state.files[row.index].id });
    },
    'problems.click': (arg) => dispatch({ type: 'list/to', index: Number(arg) }),
    'palette.run': (arg) => {
      const ov = state.overlay;
      if (ov?.kind !== 'palette') return;
      const it = paletteItems(ov.query)[Number(arg)];
      closeOverlay();
      if (it) run(it.item.id);
    },
    'prompt.accept': () => acceptPrompt(),
    'prompt.cancel': () => cancelPrompt(),
    'prompt.complete': (arg) => {
      const ov = state.overlay;
      if (ov?.kind !== 'prompt') return;
      const dir = ov.value.slice(0, ov.value.lastIndexOf('/') + 1);
      openPrompt({ ...ov, value: dir + String(arg), completions: [] });
    },
    'overlay.close': () => closeOverlay(),
  };

  function run(id: string, arg?: number | string): void {
    const f = commands[id];
    if (!f) return notice(`Unknown command ${id}`, 'error');
    // A bug in one command must not take the screen down: it becomes a problem.
    try {
      f(arg);
    } catch (e) {
      problem(`${id}: ${(e as Error).message || String(e)}`);
    }
  }

  function keyContext(): KeyContext | null {
    if (state.focus === 'sidebar') return activeList(state);
    if (state.focus === 'panel') return 'panel';
    const tab = state.tabs.find((t) => t.id === state.activeTab);
    return tab?.kind === 'preview' ? 'preview' : 'editor';
  }

  function onKey(e: KeyEvent): void {
    if (state.overlay) {
      try {
        onOverlayKey(e);
      } catch (err) {
        problem(`key ${e.key}: ${(err as Error).message}`);
      }
      return;
    }
    const cmd = resolveKey(e.key, keyContext());
    if (cmd) run(cmd);
  }

  function onMouse(m: MouseEvent): void {
    if (m.action === 'wheelup' || m.action === 'wheeldown') {
      const target = wheelAt(hits, m.x, m.y);
      if (target) dispatch({ type: 'list/scroll', target, delta: m.action === 'wheelup' ? -3 : 3 });
      return;
    }
    if (m.action !== 'down' || m.button !== 'left') return;
    const h = hitAt(hits, m.x, m.y);
    if (!h) {
      if (state.overlay) cancelPrompt();
      const l = layoutOf(state);
      if (inRect(l.sidebar, m.x, m.y)) dispatch({ type: 'ui/focus', focus: 'sidebar' });
      else if (inRect(l.editor, m.x, m.y)) dispatch({ type: 'ui/focus', focus: 'editor' });
      else if (inRect(l.panel, m.x, m.y)) dispatch({ type: 'ui/focus', focus: 'panel' });
      return;
    }
    run(h.command, h.arg);
  }

  function quit(): void {
    if (quitting) return;
    control?.cancel();
    if (saveTimer) clearTimeout(saveTimer);
    saveNow();
    quitting = true;
    preview.close();
    if (caps.graphics === 'kitty') o.term.write(kittyDelete());
    resolveDone();
  }

  o.term.onKey(onKey);
  o.term.onMouse(onMouse);
  o.term.onResize(() => {
    prevGrid = null; // the terminal may have reflowed: draw everything again
    imageKey = '';
    dispatch({ type: 'ui/resize', cols: o.term.cols, rows: o.term.rows });
  });

  if (o.image) dispatch({ type: 'recent/add', path: resolve(cwd, o.image) });
  render();
  void refreshDrives().then(() => {
    if (o.image) {
      const p = resolve(cwd, o.image);
      const i = state.drives.findIndex((d) => d.path === p);
      if (i >= 0) dispatch({ type: 'list/to', index: i });
      void startScan(p);
    }
  });

  return {
    done,
    state: () => state,
    dispatch,
    run,
  };
}
