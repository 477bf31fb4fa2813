// Terminal input arrives in chunks that may hold keys and mouse reports together (fast typing
// then a click, or several wheel steps). blessed drops keys that share a chunk with a mouse
// report and reads only the first report of a chunk, so each report gets a chunk of its own.

const ESC = '\u001b';
// SGR reports (ESC [ < b ; x ; y M|m) and X10 ones (ESC [ M and three bytes)
const MOUSE = new RegExp(`${ESC}\\[<\\d+;\\d+;\\d+[Mm]|${ESC}\\[M[\\s\\S]{3}`, 'g');

export function splitInput(data: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of data.matchAll(MOUSE)) {
    if (m.index > last) out.push(data.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < data.length) out.push(data.slice(last));
  return out;
}
