// The command palette's fuzzy matching and the keymap as data.
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandById, keyLabel, keysFor } from '../../src/tui/commands.ts';
import { fuzzyFilter, fuzzyMatch } from '../../src/tui/fuzzy.ts';
import { KEYMAP, resolveKey } from '../../src/tui/keymap.ts';
import { paletteItems } from '../../src/tui/views/overlays.ts';

describe('fuzzy matching', () => {
  it('matches letters in order, not out of order', () => {
    expect(fuzzyMatch('opdm', 'Drives: Open the Demo Card')).not.toBeNull();
    expect(fuzzyMatch('mdpo', 'Drives: Open the Demo Card')).toBeNull();
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('reports the matched positions for highlighting', () => {
    const m = fuzzyMatch('tsb', 'View: Toggle Side Bar')!;
    expect(m.positions.map((p) => 'View: Toggle Side Bar'[p]).join('')).toBe('TSB');
  });

  it('ranks word starts and runs above scattered letters', () => {
    const titles = ['Scan: Cancel', 'Found Files: Clear Selection', 'Tabs: Close Tab'];
    expect(fuzzyFilter('cancel', titles, (t) => t)[0].item).toBe('Scan: Cancel');
    expect(fuzzyFilter('cs', titles, (t) => t)[0].item).toBe('Found Files: Clear Selection');
  });

  it('finds every palette command by its own title, and the obvious words', () => {
    for (const c of COMMANDS.filter((c) => !c.internal)) expect(paletteItems(c.title)[0].item.id).toBe(c.id);
    expect(paletteItems('demo')[0].item.id).toBe('drives.openDemo');
    expect(paletteItems('recover all')[0].item.id).toBe('files.recoverAll');
    expect(paletteItems('side bar')[0].item.id).toBe('view.toggleSidebar');
    expect(paletteItems('list.up').length).toBe(0); // cursor commands stay out of the palette
  });
});

describe('keymap', () => {
  it('binds only commands that exist, and no key twice in one context', () => {
    for (const b of KEYMAP) expect(commandById(b.command), b.command).toBeDefined();
    const seen = new Set<string>();
    for (const b of KEYMAP) {
      const id = `${b.key}@${(b.when ?? ['*']).join(',')}`;
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
  });

  it('resolves by context first, then globally', () => {
    expect(resolveKey('down', 'tree')).toBe('list.down');
    expect(resolveKey('down', 'preview')).toBe('preview.next');
    expect(resolveKey('down', 'editor')).toBeUndefined();
    expect(resolveKey('space', 'tree')).toBe('list.toggle');
    expect(resolveKey('enter', 'drives')).toBe('list.open');
    expect(resolveKey('C-p', null)).toBe('workbench.palette');
    expect(resolveKey('f1', 'tree')).toBe('workbench.palette');
    expect(resolveKey('R', 'tree')).toBe('files.recoverAll');
    expect(resolveKey('r', 'tree')).toBe('files.recoverSelected');
  });

  it('works inside tmux: the side bar has F9 and Alt+B, nothing needs Ctrl+B', () => {
    expect(keysFor('view.toggleSidebar')).toEqual(['F9', 'Alt+b']);
    expect(KEYMAP.some((b) => b.key === 'C-b')).toBe(false);
    expect(keyLabel('S-tab')).toBe('Shift+Tab');
  });

  it('gives every command the palette shows a key or a place in the palette', () => {
    const palette = new Set(paletteItems('').map((i) => i.item.id));
    for (const c of COMMANDS) expect(palette.has(c.id) || keysFor(c.id).length > 0, c.id).toBe(true);
  });
});
