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

/** Break text into lines of at most `width` columns at spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if ((line + ' ' + word).trim().length > width && line) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}
