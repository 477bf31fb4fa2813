// Small helpers the views share.

export function basename(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** Shorten a path from the left to `width` columns: …/DCIM/100CANON. */
export function shortPath(p: string, width: number): string {
  if (p.length <= width) return p;
  return '…' + p.slice(p.length - width + 1);
}
