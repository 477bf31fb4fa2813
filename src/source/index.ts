// The read-only source layer: what the rest of photorescue may use from src/source.
export { openSource, type OpenSourceOptions } from './image.ts';
export { assertOutputNotOnSource } from './guard.ts';
export { listDrives } from './devices.ts';
export { SCAN_READ_SIZE, SECTOR_SIZE } from './blocksize.ts';
export type { Source, DriveInfo } from './types.ts';
