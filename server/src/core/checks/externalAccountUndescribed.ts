import type { Check } from './check';
import { leadSentence } from '../findings';
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
    const tList = analyzeKeyPolicy(world, ctx.doc).external;
    for (let i = 0; i < tList.length; i++) {
      const t = tList[i];
      if (t.trust.form !== 'root' && t.trust.form !== 'caller-account') continue;
      if (t.described) continue;
      // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then how.
      ctx.report(t.trust.node, `${leadSentence((name) => `No IAM data for ${name}: describe it so that its use of the key can be checked.`, accountLabel(world, t.account, ctx.doc.file), 'the trusted account')} `
        + 'List its principals with their policy files, or its CloudFormation templates, in policy-handshake.json, or add its authorization-details export.', {
        // Nothing is known of the account's principals: the finding states nothing about access.
        claims: [],
        related: manifest ? [{ file: manifest.path, span: { offset: 0, length: 0 }, message: `The manifest: describe ${accountLabel(world, t.account, ctx.doc.file)} here` }] : [],
      });
    }
  },
};
