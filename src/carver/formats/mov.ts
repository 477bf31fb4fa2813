// QuickTime movies with an 'ftyp' of brand 'qt  ' (see isobmff.ts).
import type { FormatModule } from '../format.ts';
import { GiB, classifyFtyp, measureIsobmff } from './isobmff.ts';

const maxSize = 64 * GiB;

export const mov: FormatModule = {
  id: 'mov',
  ext: 'mov',
  mime: 'video/quicktime',
  maxSize,
  signatures: [{ offset: 4, bytes: Buffer.from('ftyp', 'latin1') }],
  probe(head) {
    const p = classifyFtyp(head);
    return p?.format === 'mov' ? p : null;
  },
  measure: (file, probe) => measureIsobmff(file, probe, maxSize),
};
