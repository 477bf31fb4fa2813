// The run: find files (filesystem + carving), write them, report. (Being built.)
import type { FoundFile, Partition, RecoveredFile } from '../core/types.ts';
import type { EventSink, RecoverOptions, RunControl, RunSummary, ScanOptions, ScanResult } from './types.ts';

/** Find everything recoverable on a source; writes nothing. Emits file.found and scan.progress. */
export async function scan(_opts: ScanOptions, _emit: EventSink, _control?: RunControl): Promise<ScanResult> {
  throw new Error('scan: not implemented yet');
}

/** Find and write everything to opts.out (resumable). */
export async function recover(_opts: RecoverOptions, _emit: EventSink, _control?: RunControl): Promise<RunSummary> {
  throw new Error('recover: not implemented yet');
}

/** Write chosen found files from a source into an output folder, as `recover` would. */
export async function writeFound(
  _source: string,
  _files: FoundFile[],
  _out: string,
  _emit: EventSink,
  _control?: RunControl,
): Promise<RecoveredFile[]> {
  throw new Error('writeFound: not implemented yet');
}

/** The bytes of a found file (for previews), at most `max` bytes. */
export function readFoundFile(_source: string, _file: FoundFile, _max = 64 * 1024 * 1024): Buffer {
  throw new Error('readFoundFile: not implemented yet');
}

export function listPartitions(_source: string): Partition[] {
  throw new Error('listPartitions: not implemented yet');
}
