import type { DriveInfo } from '../source/types.ts';
import { listDrives as listSourceDrives } from '../source/devices.ts';

export type { DriveInfo };

/** Drives a person can pick: removable cards first. Never throws (src/source/devices.ts). */
export async function listDrives(): Promise<DriveInfo[]> {
  return listSourceDrives();
}
