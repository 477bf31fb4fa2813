// Input chunks holding keys and mouse reports together are split so none is lost;
// blessed's (ch, key) pairs become the keymap's key names.
import { describe, expect, it } from 'vitest';
import { splitInput } from '../../src/tui/terminal/input.ts';
import { normaliseKey } from '../../src/tui/terminal/terminal.ts';

describe('input splitting', () => {
  it('gives each mouse report a chunk of its own', () => {
    expect(splitInput('g\x1b[<0;10;5M\x1b[<0;10;5mab')).toEqual(['g', '\x1b[<0;10;5M', '\x1b[<0;10;5m', 'ab']);
    expect(splitInput('\x1b[<65;3;4M\x1b[<65;3;4M')).toEqual(['\x1b[<65;3;4M', '\x1b[<65;3;4M']);
    expect(splitInput('\x1b[M #!x')).toEqual(['\x1b[M #!', 'x']);
  });

  it('leaves keys alone', () => {
    expect(splitInput('abc\x1b[A\r')).toEqual(['abc\x1b[A\r']);
    expect(splitInput('')).toEqual([]);
  });
});

describe('key names', () => {
  it('names printable keys by their character and others by name with modifiers', () => {
    expect(normaliseKey('R', { name: 'r', shift: true })).toEqual({ key: 'R', ch: 'R' });
    expect(normaliseKey('?', { name: undefined })).toEqual({ key: '?', ch: '?' });
    expect(normaliseKey(' ', { name: 'space' })).toEqual({ key: 'space', ch: ' ' });
    expect(normaliseKey('\x10', { name: 'p', ctrl: true })).toEqual({ key: 'C-p' });
    expect(normaliseKey(undefined, { name: 'b', meta: true })).toEqual({ key: 'M-b' });
    expect(normaliseKey(undefined, { name: 'tab', shift: true })).toEqual({ key: 'S-tab' });
    expect(normaliseKey(undefined, { name: 'f9' })).toEqual({ key: 'f9' });
    expect(normaliseKey('é', { name: undefined })).toEqual({ key: 'é', ch: 'é' });
  });

  it('reports Enter once (blessed sends return and enter for one key press)', () => {
    expect(normaliseKey('\r', { name: 'return' })).toBeNull();
    expect(normaliseKey('\r', { name: 'enter' })).toEqual({ key: 'enter' });
  });
});
