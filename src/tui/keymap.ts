// The keymap is data: key -> command, with an optional context it applies in. The first
// binding whose context holds wins, so context bindings are listed before global ones.
// Keys avoid what tmux takes (Ctrl+B, and Ctrl+A under screen-style setups).

/** Where the keyboard is: which side bar list or editor has focus. */
export type KeyContext = 'drives' | 'tree' | 'problems' | 'preview' | 'editor' | 'panel';

export interface KeyBinding {
  key: string;
  command: string;
  /** Only in these contexts (any when absent). */
  when?: KeyContext[];
}

const LISTS: KeyContext[] = ['drives', 'tree', 'problems'];

export const KEYMAP: readonly KeyBinding[] = [
  // cursor keys in the focused list
  { key: 'up', command: 'list.up', when: LISTS },
  { key: 'k', command: 'list.up', when: LISTS },
  { key: 'down', command: 'list.down', when: LISTS },
  { key: 'j', command: 'list.down', when: LISTS },
  { key: 'pageup', command: 'list.pageUp', when: LISTS },
  { key: 'pagedown', command: 'list.pageDown', when: LISTS },
  { key: 'home', command: 'list.home', when: LISTS },
  { key: 'end', command: 'list.end', when: LISTS },
  { key: 'enter', command: 'list.open', when: LISTS },
  { key: 'space', command: 'list.toggle', when: ['tree'] },
  { key: 'left', command: 'list.collapse', when: ['tree'] },
  { key: 'right', command: 'list.expand', when: ['tree'] },
  // the focused panel scrolls back through output and problems
  { key: 'up', command: 'panel.up', when: ['panel'] },
  { key: 'k', command: 'panel.up', when: ['panel'] },
  { key: 'down', command: 'panel.down', when: ['panel'] },
  { key: 'j', command: 'panel.down', when: ['panel'] },
  { key: 'pageup', command: 'panel.pageUp', when: ['panel'] },
  { key: 'pagedown', command: 'panel.pageDown', when: ['panel'] },
  { key: 'end', command: 'panel.end', when: ['panel'] },
  // the preview follows the tree
  { key: 'down', command: 'preview.next', when: ['preview'] },
  { key: 'j', command: 'preview.next', when: ['preview'] },
  { key: 'up', command: 'preview.prev', when: ['preview'] },
  { key: 'k', command: 'preview.prev', when: ['preview'] },
  { key: 'space', command: 'list.toggle', when: ['preview'] },

  { key: 'C-p', command: 'workbench.palette' },
  { key: 'f1', command: 'workbench.palette' },
  { key: '?', command: 'workbench.help' },
  { key: 'q', command: 'workbench.quit' },
  { key: 'C-q', command: 'workbench.quit' },
  { key: 'C-c', command: 'workbench.quit' },
  { key: 'escape', command: 'workbench.escape' },
  { key: '1', command: 'view.drives' },
  { key: '2', command: 'view.scan' },
  { key: '3', command: 'view.recovered' },
  { key: '4', command: 'view.problems' },
  { key: 'f9', command: 'view.toggleSidebar' },
  { key: 'M-b', command: 'view.toggleSidebar' },
  { key: 'f8', command: 'view.togglePanel' },
  { key: 'M-j', command: 'view.togglePanel' },
  { key: 'tab', command: 'focus.next' },
  { key: 'S-tab', command: 'focus.prev' },
  { key: 'o', command: 'drives.openImage' },
  { key: 'C-o', command: 'drives.openImage' },
  { key: 'd', command: 'drives.openDemo' },
  { key: 'f5', command: 'drives.refresh' },
  { key: 's', command: 'scan.start' },
  { key: 'p', command: 'scan.pauseResume' },
  { key: 'c', command: 'scan.cancel' },
  { key: '/', command: 'files.filter' },
  { key: 'g', command: 'files.grouping' },
  { key: 'a', command: 'files.selectAll' },
  { key: 'n', command: 'files.selectNone' },
  { key: 'r', command: 'files.recoverSelected' },
  { key: 'R', command: 'files.recoverAll' },
  { key: 'v', command: 'files.preview' },
  { key: ']', command: 'tab.next' },
  { key: '[', command: 'tab.prev' },
  { key: 'C-w', command: 'tab.close' },
  { key: 'w', command: 'tab.close' },
];

export function resolveKey(key: string, ctx: KeyContext | null, keymap: readonly KeyBinding[] = KEYMAP): string | undefined {
  for (const b of keymap) {
    if (b.key !== key) continue;
    if (b.when && (!ctx || !b.when.includes(ctx))) continue;
    return b.command;
  }
  return undefined;
}
