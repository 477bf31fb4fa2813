// MP4 video, and 3GP (same structure, its own extension; see isobmff.ts).
import type { FormatModule } from '../format.ts';
import { GiB, classifyFtyp, measureIsobmff } from './isobmff.ts';

const maxSize = 64 * GiB;

export const mp4: FormatModule = {
  id: 'mp4',
  ext: 'mp4',
  mime: 'video/mp4',
  maxSize,
  signatures: [{ offset: 4, bytes: Buffer.from('ftyp', 'latin1') }],
  probe(head) {
    const p = classifyFtyp(head);
    return p?.format === 'mp4' ? p : null;
  },
  measure: (file, probe) => measureIsobmff(file, probe, maxSize),
};
