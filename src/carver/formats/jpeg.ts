// Placeholder until the format lands; see src/carver/format.ts for the contract.
import type { FormatModule } from '../format.ts';

export const jpeg: FormatModule = {
  id: 'jpeg',
  ext: 'jpg',
  mime: 'application/octet-stream',
  maxSize: 0,
  signatures: [],
  probe: () => null,
  measure: () => ({ status: 'invalid', length: 0, reason: 'not implemented' }),
};
