import type { Check } from './check';
import { leadSentence } from '../findings';
import type { LocalFix } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { statementConditions, type ConditionEntry } from '../model/conditions';
import { ownAccount, ownAccountInput, type OwnAccount } from '../model/keyAccount';
import { principalEntries, type PolicyDocument, type Statement } from '../model/policyDocument';
import { insertPropertyEdit } from '../handshake/jsonEdits';
import { addHclConditionEdit } from '../sources/hcl/hclEdits';
import { templateText } from '../model/templateValues';

/** Global keys that tie a service principal's request to the resource it acts for. */
const SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths']);

/** The condition entries of the statement that a request must match (negated operators and Null left out). */
function positiveEntries(s: Statement): ConditionEntry[] {
  return statementConditions(s).filter((c) => c.operator.base !== undefined && !c.operator.base.includes('Not') && c.operator.base !== 'Null');
}

/**
 * Whether a positive condition on a source key ties the service to some resource: a value
 * made of wildcards only (`StringLike "*"`) ties it to none. Values not known here count.
 */
function tiedToSource(entries: readonly ConditionEntry[]): boolean {
  return entries.some((c) => SOURCE_KEYS.has(c.key.toLowerCase()) && c.values.some((v) => v.value === undefined || !/^[*?]+$/.test(v.value)));
}

/** The value the fix writes: the key's account, or the template's own account in CloudFormation. */
function accountValue(own: OwnAccount, source: string): unknown {
  if (source === 'cloudformation') return { Ref: 'AWS::AccountId' };
  return own.source !== 'unknown' && own.accounts.size === 1 ? [...own.accounts][0] : undefined;
}

/**
 * Adds `StringEquals: {aws:SourceAccount: …}`, merged into the Condition and its StringEquals
 * when present; in Terraform HCL as HCL (a `condition` block in a policy document block).
 */
function addSourceAccount(doc: PolicyDocument, s: Statement, value: unknown): LocalFix | undefined {
  const text = doc.json.text;
  const shown = typeof value === 'string' ? `account ${value}` : 'the template\'s account';
  const title = `Allow the service only for resources of ${shown} (aws:SourceAccount)`;
  if (doc.json.syntax === 'hcl') {
    const edit = addHclConditionEdit(text, s.node, s.elements.Condition?.value, 'StringEquals', 'aws:SourceAccount', value);
    return edit && { title, id: 'add-source-account', edits: [edit], syntax: 'hcl' };
  }
  const condition = s.elements.Condition?.value;
  let edit;
  if (!condition) edit = insertPropertyEdit(text, s.node, 'Condition', { StringEquals: { 'aws:SourceAccount': value } });
  else if (condition.type !== 'object') return undefined;
  else {
    const equals: JsonNode | undefined = prop(condition, 'StringEquals')?.value;
    if (equals && equals.type !== 'object') return undefined;
    edit = equals ? insertPropertyEdit(text, equals, 'aws:SourceAccount', value) : insertPropertyEdit(text, condition, 'StringEquals', { 'aws:SourceAccount': value });
  }
  return { title, id: 'add-source-account', edits: [edit] };
}

/**
 * An Allow to a service principal in a key policy with no aws:SourceAccount / aws:SourceArn
 * (or organization) condition: the service may use the key for any customer's resource that
 * names it (confused deputy). With other conditions only, a suggestion to use the source keys.
 */
export const servicePrincipalWithoutSource: Check = {
  id: 'service-principal-without-source',
  defaultSeverity: 'warning',
  summary: 'Service principal allowed in a key policy without aws:SourceAccount or aws:SourceArn (confused deputy)',
  kinds: ['kms-key-policy'],
  statementLocal: true,
  documentInput: ownAccountInput,
  run(ctx) {
    const own = ownAccount(ctx.doc, ctx.documentStatements);
    const value = accountValue(own, ctx.doc.source);
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      if (s.effect !== 'Allow') continue;
      // Any value under Service is a service principal, one written with intrinsic functions too
      // (`!Sub 'logs.${AWS::Region}.amazonaws.com'`, named as written where not resolved).
      const services = principalEntries(s.elements.Principal?.value).filter((e) => e.type === 'Service');
      if (services.length === 0) continue;
      const positive = positiveEntries(s);
      if (tiedToSource(positive)) continue;
      const keys = positive.map((c) => c.key);
      const fix = value === undefined ? undefined : addSourceAccount(ctx.doc, s, value);
      const fixes = fix ? [fix] : [];
      for (let i = 0; i < services.length; i++) {
        const e = services[i];
        const name = e.item.value ?? templateText(e.item.node, ctx.doc.template) ?? 'The service principal';
        if (keys.length === 0) {
          // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
          ctx.report(e.item.node, `${leadSentence((n) => `${n} may use this key for any account's resources: limit it with aws:SourceAccount or aws:SourceArn.`, name, 'The service principal')} `
            + 'Without them the service acts for any account that asks it to (confused deputy).', { fixes });
        } else {
          const named = [...new Set(keys)].join(', ');
          ctx.report(e.item.node, `${leadSentence((n) => `${n} is not tied to a source: add aws:SourceAccount or aws:SourceArn.`, name, 'The service principal')} `
            + `Its condition (${named}) is not the recommended way to tie it to the resources it acts for (confused deputy).`, { fixes, severity: 'info' });
        }
      }
    }
  },
};
