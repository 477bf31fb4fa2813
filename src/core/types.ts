// Shared types of the pipeline. Everything here is plain data: no I/O, no terminals.

/** The formats photorescue can carve. 3GP is part of the mp4 family (its own extension). */
export type FormatId = 'jpeg' | 'heic' | 'mp4' | 'mov';
export const ALL_FORMATS: readonly FormatId[] = ['jpeg', 'heic', 'mp4', 'mov'];

/** A byte range on the medium (absolute offset from the start of the image/device). */
export interface Extent {
  offset: number;
  length: number;
}

/**
 * Random, synchronous read access to bytes. A medium (whole image) and a file laid out
 * over extents (FAT chain, contiguous run) both look like this to a format module.
 * `read` returns fewer bytes than asked only at the end; never throws on bad sectors
 * (they read as zeros and are reported by the source).
 */
export interface ByteReader {
  readonly size: number;
  read(position: number, length: number): Buffer;
  /** Optional: fill a caller's buffer instead of allocating one (returns bytes filled). */
  readInto?(buf: Buffer, position: number): number;
}

export type FoundBy = 'filesystem' | 'carving' | 'both';

/** complete: whole and valid; partial: the start is right but the end or middle is lost. */
export type Verdict = 'complete' | 'partial';

/** What the filesystem still knew about a file. */
export interface OriginalInfo {
  /** Partition label or `p<N>` (used as the first folder under recovered/). */
  partition: string;
  /** Folder on the card, '/'-separated, without a leading slash ('' for the root). Not sanitised. */
  folder: string;
  /** The file name as the filesystem knew it (or as inferred). Not sanitised. */
  name: string;
  /** True when (part of) the name was guessed: a lost 8.3 first byte, for example. */
  nameInferred: boolean;
  /** Where it was: a deleted directory entry, a trash folder, a live entry. */
  state: 'deleted' | 'trash' | 'live' | 'formatted';
  /** For trash: the path it had before it was moved there, when the trash knows it. */
  trashOriginalPath?: string;
  /** ISO 8601 times (with offset when the filesystem has one). */
  modified?: string;
  created?: string;
  accessed?: string;
  /** The size recorded in the directory entry. */
  size: number;
}

/** One record of OUT/report.json. */
export interface RecoveredFile {
  id: string;
  /** Path relative to OUT ('recovered/…' or 'partial/…'). */
  path: string;
  format: FormatId;
  /** File extension without the dot (jpg, heic, mp4, mov, 3gp). */
  ext: string;
  size: number;
  sha256: string;
  foundBy: FoundBy;
  /** Where its bytes lay on the medium, in file order. */
  extents: Extent[];
  original?: OriginalInfo;
  verdict: Verdict;
  /** Why it is partial (or a note on how it was assembled). */
  reason?: string;
  /** What file-type says the written bytes are (mime), as a check. */
  detectedMime?: string;
}

export interface Partition {
  index: number;
  /** 'mbr' | 'gpt' | 'none' */
  scheme: 'mbr' | 'gpt' | 'none';
  /** MBR type byte as hex, or GPT type GUID. */
  type: string;
  offset: number;
  size: number;
  label?: string;
  fs?: 'fat12' | 'fat16' | 'fat32' | 'exfat';
}

export interface UnreadableRange extends Extent {
  error: string;
}

export interface Problem {
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** Where on the medium, when it concerns a place. */
  offset?: number;
}

export type StageName = 'partitions' | 'filesystem' | 'scan' | 'recover' | 'organize' | 'backup';

/** What a found file looks like before it is written. */
export interface FoundFile {
  id: string;
  format: FormatId;
  ext: string;
  /** Bytes of the file as it will be written (after assembly). */
  size: number;
  extents: Extent[];
  foundBy: FoundBy;
  verdict: Verdict;
  reason?: string;
  original?: OriginalInfo;
}

/** The typed stream every stage emits and every front end consumes. */
export type RecoveryEvent =
  | { type: 'run.start'; source: string; size: number; out: string; resumed: boolean; at: number }
  | { type: 'stage.start'; stage: StageName; at: number }
  | { type: 'stage.end'; stage: StageName; at: number }
  | { type: 'partitions'; partitions: Partition[] }
  | {
      type: 'scan.progress';
      /** Bytes of the medium scanned so far (monotonic). */
      done: number;
      total: number;
      /** Bytes per second over the last second or so. */
      rate: number;
      found: Partial<Record<FormatId, number>>;
    }
  | { type: 'file.found'; file: FoundFile }
  | { type: 'file.recovered'; file: RecoveredFile }
  | { type: 'unreadable'; range: UnreadableRange }
  | { type: 'problem'; problem: Problem }
  | { type: 'paused' | 'resumed'; at: number }
  | {
      type: 'run.end';
      at: number;
      status: 'done' | 'cancelled' | 'failed';
      recovered: number;
      partial: number;
      bytes: number;
      error?: string;
    };

export type RecoveryEventType = RecoveryEvent['type'];
