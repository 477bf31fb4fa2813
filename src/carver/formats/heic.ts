// HEIC/HEIF still images and image sequences (ISO-BMFF; see isobmff.ts).
import type { FormatModule } from '../format.ts';
import { GiB, classifyFtyp, measureIsobmff } from './isobmff.ts';

const maxSize = 1 * GiB;

export const heic: FormatModule = {
  id: 'heic',
  ext: 'heic',
  mime: 'image/heic',
  maxSize,
  signatures: [{ offset: 4, bytes: Buffer.from('ftyp', 'latin1') }],
  probe(head) {
    const p = classifyFtyp(head);
    return p?.format === 'heic' ? p : null;
  },
  measure: (file, probe) => measureIsobmff(file, probe, maxSize),
};
