import type { DriveInfo } from '../source/types.ts';

export type { DriveInfo };

/** Drives a person can pick: removable cards first. (Being built in src/source/devices.ts.) */
export async function listDrives(): Promise<DriveInfo[]> {
  return [];
}
