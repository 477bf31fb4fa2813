// The format registry: one line per format (DESIGN.md "Formats are modules").
import type { FormatId } from '../core/types.ts';
import type { FormatModule, ProbeResult } from './format.ts';
import { jpeg } from './formats/jpeg.ts';
import { heic } from './formats/heic.ts';
import { mp4 } from './formats/mp4.ts';
import { mov } from './formats/mov.ts';

export const FORMATS: readonly FormatModule[] = [
  jpeg,
  heic,
  mp4,
  mov,
];

export function formatById(id: FormatId): FormatModule {
  const m = FORMATS.find((f) => f.id === id);
  if (!m) throw new Error(`unknown format ${id}`);
  return m;
}

/** Probe `head` against every enabled format whose signature matches; first hit wins. */
export function probeAny(head: Buffer, enabled: readonly FormatId[]): { module: FormatModule; probe: ProbeResult } | null {
  for (const m of FORMATS) {
    if (!enabled.includes(m.id)) continue;
    const sigOk = m.signatures.some((s) => head.length >= s.offset + s.bytes.length && head.subarray(s.offset, s.offset + s.bytes.length).equals(s.bytes));
    if (!sigOk) continue;
    const probe = m.probe(head);
    if (probe) return { module: m, probe };
  }
  return null;
}
