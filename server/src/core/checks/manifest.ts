import type { Check } from './check';

/**
 * The workspace manifest (`policy-handshake.json`): schema violations, paths that leave
 * the manifest's folder, paths and globs that match no file it governs. The workspace
 * model reports these on the manifest file itself; this entry gives the id its settings
 * and docs.
 */
export const manifestCheck: Check = {
  id: 'manifest',
  defaultSeverity: 'error',
  summary: 'Problems in the workspace manifest policy-handshake.json',
  kinds: [],
  scope: 'workspace',
  run() {
    // Reported by the workspace model (workspace/manifestFindings.ts), not per policy document.
  },
};
