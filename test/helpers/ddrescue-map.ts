import type { Extent } from '../../src/core/types.ts';

/**
 * A GNU ddrescue mapfile marking `bad` as '-' (bad sector) and the rest of a `size`-byte medium
 * as '+' (finished): nbdkit's ddrescue filter then fails reads of exactly those ranges with EIO.
 */
export function ddrescueMap(bad: readonly Extent[], size: number): string {
  const lines = ['# Mapfile. Created by photorescue tests', '0x00000000     +               1', '#      pos        size  status'];
  let pos = 0;
  for (const b of bad) {
    if (b.offset > pos) lines.push(`0x${pos.toString(16)}  0x${(b.offset - pos).toString(16)}  +`);
    lines.push(`0x${b.offset.toString(16)}  0x${b.length.toString(16)}  -`);
    pos = b.offset + b.length;
  }
  if (pos < size) lines.push(`0x${pos.toString(16)}  0x${(size - pos).toString(16)}  +`);
  return lines.join('\n') + '\n';
}
