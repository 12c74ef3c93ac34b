/** Loads the Terraform (HCL) parser once for a test file, as the CLI and the server do at start-up. */
import { before } from 'node:test';
import { loadHclParser } from '../../server/src/runtime/hclParser';

export function withHclParser(): void {
  before(async () => {
    const parse = await loadHclParser((m) => { throw new Error(m); });
    if (!parse) throw new Error('the HCL parser did not load');
  });
}
