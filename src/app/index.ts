// The engine's public face for the front ends (cli, tui). Implementations live in sibling modules.
export type { ScanOptions, RecoverOptions, EventSink, RunControl, ScanResult, RunSummary } from './types.ts';
export { createRunControl } from './control.ts';
export { scan, recover, writeFound, readFoundFile, listPartitions } from './run.ts';
export { listDrives } from './drives.ts';
export { DEMO_IMAGE, PACKAGE_ROOT } from './paths.ts';
