// The command palette's fuzzy matching and the keymap as data.
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandById, keyLabel, keysFor } from '../../src/tui/commands.ts';
import { fuzzyFilter, fuzzyMatch } from '../../src/tui/fuzzy.ts';
import { KEYMAP, resolveKey } from '../../src/tui/keymap.ts';
import { paletteItems } from '../../src/tui/views/overlays.ts';
import { overlayKey } from '../../src/tui/overlay-keys.ts';

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

describe('keys inside overlays', () => {
  const palette = { kind: 'palette' as const, query: '', cursor: 0 };
  const prompt = { kind: 'prompt' as const, purpose: 'open-image' as const, title: 'Open', value: '/tmp/ca', paths: true, completions: ['card.img'] };

  it('types, moves and runs in the palette', () => {
    const typed = overlayKey(palette, { key: 'd', ch: 'd' }, ['a', 'b']);
    expect(typed).toEqual({ kind: 'edit', overlay: { ...palette, query: 'd' } });
    const down = overlayKey({ ...palette, cursor: 0 }, { key: 'down' }, ['a', 'b']);
    expect(down).toEqual({ kind: 'edit', overlay: { ...palette, cursor: 1 } });
    expect(overlayKey({ ...palette, cursor: 1 }, { key: 'down' }, ['a', 'b'])).toEqual({ kind: 'edit', overlay: { ...palette, cursor: 1 } });
    expect(overlayKey({ ...palette, cursor: 1 }, { key: 'enter' }, ['a', 'b'])).toEqual({ kind: 'run', command: 'b' });
    expect(overlayKey(palette, { key: 'enter' }, [])).toEqual({ kind: 'close' });
    expect(overlayKey(palette, { key: 'C-p' }, [])).toEqual({ kind: 'close' });
  });

  it('edits a prompt: type, delete, clear, delete a path part; Tab completes paths only', () => {
    const v = (fx: ReturnType<typeof overlayKey>) => (fx.kind === 'edit' && fx.overlay.kind === 'prompt' ? fx.overlay.value : fx.kind);
    expect(v(overlayKey(prompt, { key: 'r', ch: 'r' }, []))).toBe('/tmp/car');
    expect(v(overlayKey(prompt, { key: 'backspace' }, []))).toBe('/tmp/c');
    expect(v(overlayKey(prompt, { key: 'C-u' }, []))).toBe('');
    expect(v(overlayKey(prompt, { key: 'C-w' }, []))).toBe('/tmp/');
    expect(v(overlayKey(prompt, { key: 'space', ch: ' ' }, []))).toBe('/tmp/ca ');
    expect(overlayKey(prompt, { key: 'tab' }, [])).toEqual({ kind: 'complete' });
    expect(overlayKey({ ...prompt, paths: false }, { key: 'tab' }, [])).toEqual({ kind: 'none' });
    expect(overlayKey(prompt, { key: 'enter' }, [])).toEqual({ kind: 'accept' });
    expect(overlayKey(prompt, { key: 'escape' }, [])).toEqual({ kind: 'cancel' });
    // Ctrl and Alt keys are not text
    expect(overlayKey(prompt, { key: 'M-b' }, [])).toEqual({ kind: 'none' });
  });

  it('scrolls and closes the keymap help', () => {
    const help = { kind: 'help' as const, scroll: 0 };
    expect(overlayKey(help, { key: 'pagedown' }, [])).toEqual({ kind: 'edit', overlay: { kind: 'help', scroll: 10 } });
    expect(overlayKey(help, { key: 'up' }, [])).toEqual({ kind: 'edit', overlay: { kind: 'help', scroll: 0 } });
    expect(overlayKey(help, { key: '?', ch: '?' }, [])).toEqual({ kind: 'close' });
  });
});
