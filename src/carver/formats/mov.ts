// Placeholder until the format lands; see src/carver/format.ts for the contract.
import type { FormatModule } from '../format.ts';

export const mov: FormatModule = {
  id: 'mov',
  ext: 'mov',
  mime: 'application/octet-stream',
  maxSize: 0,
  signatures: [],
  probe: () => null,
  measure: () => ({ status: 'invalid', length: 0, reason: 'not implemented' }),
};
