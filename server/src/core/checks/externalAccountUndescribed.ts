import type { Check } from './check';
import { analyzeKeyPolicy } from '../handshake/keyPolicyAnalysis';
import { accountLabel, type HandshakeWorld } from '../handshake/world';

/**
 * A key-policy statement trusts another account's root, but the workspace holds no IAM
 * data for that account: the handshake cannot be checked.
 */
export const externalAccountUndescribed: Check<HandshakeWorld> = {
  id: 'external-account-undescribed',
  defaultSeverity: 'info',
  summary: 'The key policy trusts an account the workspace has no IAM data for',
  kinds: ['kms-key-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const manifest = world.manifestFor(ctx.doc.file);
    for (const t of analyzeKeyPolicy(world, ctx.doc).external) {
      if (t.trust.form !== 'root' && t.trust.form !== 'caller-account') continue;
      if (t.described) continue;
      ctx.report(t.trust.node, `Account ${accountLabel(world, t.account)} is trusted here, but the workspace has no IAM data for it, so which of its principals can use the key cannot be checked. `
        + 'Describe it in policy-handshake.json ("principals" with their policy files, or its CloudFormation templates) or add its authorization-details export.', {
        // Nothing is known of the account's principals: the finding states nothing about access.
        claims: [],
        related: manifest ? [{ file: manifest.path, span: { offset: 0, length: 0 }, message: `The manifest: describe ${accountLabel(world, t.account)} here` }] : [],
      });
    }
  },
};
