// Keys inside the palette, a prompt or the keymap help: a pure function from the overlay and
// a key to the next overlay and what the app should do (run a command, accept, complete…).
import type { Overlay } from './state/store.ts';

export type OverlayEffect =
  | { kind: 'close' }
  | { kind: 'run'; command: string }
  | { kind: 'accept' }
  | { kind: 'cancel' }
  | { kind: 'complete' }
  | { kind: 'edit'; overlay: Overlay }
  | { kind: 'none' };

export interface OverlayKey {
  key: string;
  ch?: string;
}

/** `palette`: the ids the palette lists for the current query, in order. */
export function overlayKey(ov: Overlay, e: OverlayKey, palette: readonly string[]): OverlayEffect {
  const printable = e.ch !== undefined && !e.key.startsWith('C-') && !e.key.startsWith('M-');
  if (ov.kind === 'help') {
    if (e.key === 'escape' || e.key === '?' || e.key === 'q' || e.key === 'enter') return { kind: 'close' };
    const step = { down: 1, j: 1, up: -1, k: -1, pagedown: 10, pageup: -10 }[e.key];
    return step ? { kind: 'edit', overlay: { ...ov, scroll: Math.max(0, ov.scroll + step) } } : { kind: 'none' };
  }
  if (ov.kind === 'palette') {
    if (e.key === 'escape' || e.key === 'C-p' || e.key === 'f1') return { kind: 'close' };
    if (e.key === 'enter') return palette[ov.cursor] ? { kind: 'run', command: palette[ov.cursor] } : { kind: 'close' };
    if (e.key === 'down' || e.key === 'C-n') return { kind: 'edit', overlay: { ...ov, cursor: Math.max(0, Math.min(palette.length - 1, ov.cursor + 1)) } };
    if (e.key === 'up' || e.key === 'C-k') return { kind: 'edit', overlay: { ...ov, cursor: Math.max(0, ov.cursor - 1) } };
    if (e.key === 'backspace') return { kind: 'edit', overlay: { ...ov, query: ov.query.slice(0, -1), cursor: 0 } };
    if (e.key === 'C-u') return { kind: 'edit', overlay: { ...ov, query: '', cursor: 0 } };
    if (printable) return { kind: 'edit', overlay: { ...ov, query: ov.query + e.ch, cursor: 0 } };
    return { kind: 'none' };
  }
  const value = (v: string): OverlayEffect => ({ kind: 'edit', overlay: { ...ov, value: v, completions: [] } });
  if (e.key === 'escape') return { kind: 'cancel' };
  if (e.key === 'enter') return { kind: 'accept' };
  if (e.key === 'tab') return ov.paths ? { kind: 'complete' } : { kind: 'none' };
  if (e.key === 'backspace') return value(ov.value.slice(0, -1));
  if (e.key === 'C-u') return value('');
  if (e.key === 'C-w') return value(ov.value.replace(/[^/\s]*[/\s]?$/, '')); // the last word or path part
  if (printable) return value(ov.value + e.ch);
  return { kind: 'none' };
}
