import type { Check } from './check';
import { prop } from '../json/nodes';
import { CURRENT_VERSION, OLD_VERSION, policyVariablesIn, policyVersion } from '../model/policyVariables';

/** `"Version": "2008-10-17"`: the old policy language, without policy variables. */
export const versionOutdated: Check = {
  id: 'version-outdated',
  defaultSeverity: 'warning',
  summary: 'Version 2008-10-17 (no policy variables)',
  run(ctx) {
    const root = ctx.doc.root;
    if (policyVersion(root) !== OLD_VERSION) return;
    const value = prop(root, 'Version')!.value!;
    const variables = policyVariablesIn(ctx.doc);
    const hasDollarBrace = variables !== 'no';
    const note = hasDollarBrace
      ? ' Careful: this document contains ${…}, which is literal text now and becomes a policy variable with the new version.'
      : '';
    ctx.report(value, `Version ${OLD_VERSION} is the old policy language: policy variables are not replaced. Use ${CURRENT_VERSION}.${note}`, {
      // Variables the version leaves as text are an error (Access Analyzer's VARIABLE_UNSUPPORTED_IN_VERSION);
      // in a template, ${…} may be Fn::Sub's own.
      severity: variables === 'yes' ? 'error' : undefined,
      fixes: [{ title: `Change Version to ${CURRENT_VERSION}`, id: 'update-version', isPreferred: !hasDollarBrace, edits: [{ offset: value.offset, length: value.length, newText: `"${CURRENT_VERSION}"` }] }],
    });
  },
};
