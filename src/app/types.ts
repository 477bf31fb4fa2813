// The contract between the engine (app) and its front ends (cli, tui).
import type { FormatId, FoundFile, RecoveredFile, RecoveryEvent, UnreadableRange } from '../core/types.ts';

export interface ScanOptions {
  /** Image file or block device path. */
  source: string;
  /** Formats to look for (default: all). */
  types?: FormatId[];
  /** Look for headers at every byte offset, not only sector starts. */
  deep?: boolean;
  /** Worker threads for the header scan (default: cores). */
  workers?: number;
  /** Only this partition (index from `partitions`), or all. */
  partition?: number;
  /** Also recover files that are still live on the filesystem. */
  includeLive?: boolean;
}

export interface RecoverOptions extends ScanOptions {
  /** Output folder (recovered/, partial/, report.json, .photorescue/). */
  out: string;
}

export type EventSink = (event: RecoveryEvent) => void;

/** Cancel, pause and resume a running stage from a front end. */
export interface RunControl {
  readonly signal: AbortSignal;
  cancel(): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Resolves immediately when not paused, else when resumed or cancelled. */
  waitIfPaused(): Promise<void>;
}

export interface ScanResult {
  files: FoundFile[];
  unreadable: UnreadableRange[];
  size: number;
  status: 'done' | 'cancelled';
}

export interface RunSummary {
  status: 'done' | 'cancelled';
  recovered: RecoveredFile[];
  unreadable: UnreadableRange[];
  resumed: boolean;
  /** Wall time of the run in ms. */
  ms: number;
}
