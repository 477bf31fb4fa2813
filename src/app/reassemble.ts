// Putting fragmented files back together from their own structure, where neither the filesystem
// (a formatted card, a lost FAT chain) nor the free-cluster map says where the pieces are.
import type { ByteReader, FormatId, FoundFile } from '../core/types.ts';
import type { Volume } from '../fs/types.ts';
import type { Claims } from './carve.ts';

export interface ReassembleContext {
  medium: ByteReader;
  types: readonly FormatId[];
  /** Volumes on the medium (cluster size and geometry; free-cluster maps). */
  volumes: readonly Volume[];
  /** Byte ranges already owned by files found whole: never part of another file. */
  claims: Claims;
}

export interface ReassembleHint {
  /** The file's size when a directory entry still says it. */
  size?: number;
}

/**
 * Given a file whose structure breaks at `partial.size` bytes (a partial carve or a deleted
 * entry none of whose simple layouts validates), find where the rest lies and return the whole
 * file (verdict 'complete'), or null when it cannot be placed with confidence.
 */
export function reassemble(_ctx: ReassembleContext, _partial: FoundFile, _hint: ReassembleHint = {}): FoundFile | null {
  return null;
}
