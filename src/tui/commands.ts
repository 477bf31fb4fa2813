// Every action of the dashboard is a command: an id, a title (what the palette shows) and
// the keys bound to it (from the keymap). The app holds what each id does.
import { KEYMAP } from './keymap.ts';

export interface Command {
  id: string;
  title: string;
  /** Hidden from the palette (cursor movement and the like). */
  internal?: boolean;
}

export const COMMANDS: readonly Command[] = [
  { id: 'workbench.palette', title: 'Show All Commands' },
  { id: 'workbench.help', title: 'Help: Keyboard Shortcuts' },
  { id: 'workbench.quit', title: 'Quit photorescue' },
  { id: 'workbench.escape', title: 'Close Notice / Clear Filter' },
  { id: 'view.drives', title: 'View: Drives and Images' },
  { id: 'view.scan', title: 'View: Scan' },
  { id: 'view.recovered', title: 'View: Found Files' },
  { id: 'view.problems', title: 'View: Problems' },
  { id: 'view.toggleSidebar', title: 'View: Toggle Side Bar' },
  { id: 'view.togglePanel', title: 'View: Toggle Panel' },
  { id: 'view.output', title: 'View: Show Output' },
  { id: 'view.problemsPanel', title: 'View: Show Problems Panel' },
  { id: 'view.scanTab', title: 'View: Open Scan Tab' },
  { id: 'focus.next', title: 'Focus Next Part' },
  { id: 'focus.prev', title: 'Focus Previous Part' },
  { id: 'drives.openImage', title: 'Drives: Open Disk Image…' },
  { id: 'drives.openDemo', title: 'Drives: Open the Demo Card' },
  { id: 'drives.refresh', title: 'Drives: Refresh' },
  { id: 'scan.start', title: 'Scan: Scan Selected Drive or Image' },
  { id: 'scan.pauseResume', title: 'Scan: Pause / Resume' },
  { id: 'scan.cancel', title: 'Scan: Cancel' },
  { id: 'files.filter', title: 'Found Files: Filter…' },
  { id: 'files.clearFilter', title: 'Found Files: Clear Filter' },
  { id: 'files.grouping', title: 'Found Files: Group by Folder / Type / Date' },
  { id: 'files.groupFolder', title: 'Found Files: Group by Original Folder' },
  { id: 'files.groupType', title: 'Found Files: Group by Type' },
  { id: 'files.groupDate', title: 'Found Files: Group by Date' },
  { id: 'files.selectAll', title: 'Found Files: Select All (filtered)' },
  { id: 'files.selectNone', title: 'Found Files: Clear Selection' },
  { id: 'files.recoverSelected', title: 'Found Files: Recover Selected…' },
  { id: 'files.recoverAll', title: 'Found Files: Recover All…' },
  { id: 'files.preview', title: 'Found Files: Preview File at Cursor' },
  { id: 'preview.next', title: 'Preview: Next File' },
  { id: 'preview.prev', title: 'Preview: Previous File' },
  { id: 'tab.next', title: 'Tabs: Next Tab' },
  { id: 'tab.prev', title: 'Tabs: Previous Tab' },
  { id: 'tab.close', title: 'Tabs: Close Tab' },
  { id: 'panel.up', title: 'Panel: Scroll Up', internal: true },
  { id: 'panel.down', title: 'Panel: Scroll Down', internal: true },
  { id: 'panel.pageUp', title: 'Panel: Page Up', internal: true },
  { id: 'panel.pageDown', title: 'Panel: Page Down', internal: true },
  { id: 'panel.end', title: 'Panel: Follow the Newest', internal: true },
  { id: 'list.up', title: 'Cursor Up', internal: true },
  { id: 'list.down', title: 'Cursor Down', internal: true },
  { id: 'list.pageUp', title: 'Page Up', internal: true },
  { id: 'list.pageDown', title: 'Page Down', internal: true },
  { id: 'list.home', title: 'First Row', internal: true },
  { id: 'list.end', title: 'Last Row', internal: true },
  { id: 'list.open', title: 'Open / Toggle Row', internal: true },
  { id: 'list.toggle', title: 'Select Row', internal: true },
  { id: 'list.collapse', title: 'Collapse Group', internal: true },
  { id: 'list.expand', title: 'Expand Group', internal: true },
];

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));

export function commandById(id: string): Command | undefined {
  return BY_ID.get(id);
}

/** Keys shown for a command: the keymap's bindings, in order, as a person would read them. */
export function keysFor(id: string): string[] {
  return KEYMAP.filter((b) => b.command === id).map((b) => keyLabel(b.key));
}

export function keyLabel(key: string): string {
  return key
    .replace(/^C-/, 'Ctrl+')
    .replace(/^M-/, 'Alt+')
    .replace(/^S-/, 'Shift+')
    .replace(/\b(f\d+)\b/, (m) => m.toUpperCase())
    .replace(/\b(up|down|left|right|enter|escape|space|tab|pageup|pagedown|home|end)\b/, (m) => m[0].toUpperCase() + m.slice(1));
}
