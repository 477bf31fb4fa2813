import type { CachedMedium, Geometry, Run } from './reassemble-medium.ts';

export function placeJpeg(_m: CachedMedium, _g: Geometry, _start: number, _good: number, _size?: number): { runs: Run[] } | null {
  return null;
}
