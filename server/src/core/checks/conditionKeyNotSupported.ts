import { leadSentence } from '../findings';
import type { Check, CheckContext } from './check';
import type { LocalFix } from '../findings';
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { statementConditions, type ConditionEntry } from '../model/conditions';
import { describeActions, knownStatementActions } from '../model/knownActions';
import { principalEntries, type Statement } from '../model/policyDocument';
import { appendValuesEdit } from '../model/valueEdits';
import { matchesWildcard } from '../wildcard';
import { boundedMemoFor } from '../recentCache';

/**
 * A catalog key name as a lower-case wildcard pattern: `${TagKey}`, `<key>` and a trailing
 * `/tag-key` (the reference writes all three) stand for any text.
 */
export function conditionKeyPattern(key: string): string {
  return key.toLowerCase().replace(/\$\{[^}]*\}|<[^>]*>/g, '*').replace(/\/tag-key$/, '/*');
}

/**
 * Patterns of the catalog's key names: the same names recur across the actions and resource
 * types of a service. Names only from the catalog, so no copy is needed; bounded all the same.
 */
const catalogKeyPatterns = new Map<string, string>();
const MAX_KEY_PATTERNS = 20_000;

function catalogKeyPattern(key: string): string {
  let pattern = catalogKeyPatterns.get(key);
  if (pattern === undefined) {
    if (catalogKeyPatterns.size >= MAX_KEY_PATTERNS) catalogKeyPatterns.clear();
    catalogKeyPatterns.set(key, (pattern = conditionKeyPattern(key)));
  }
  return pattern;
}

/** Every condition key an action documents: its own, and those of its resource types, as patterns. */
export function actionConditionKeys(catalog: Catalog, action: ActionInfo): string[] {
  const keys = new Set<string>(action.conditionKeys);
  for (let j = 0; j < action.resourceTypes.length; j++) {
    const rt = action.resourceTypes[j];
    for (let i = 0; i < rt.conditionKeys.length; i++) {
      const k = rt.conditionKeys[i];
      keys.add(k);
    }
    const ks = catalog.resourceType(action.service, rt.name)?.conditionKeys ?? [];
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      keys.add(k);
    }
  }
  return [...new Set([...keys].map(catalogKeyPattern))];
}

/** Per action (catalog entries are never replaced): its condition keys as patterns. */
const keysByAction = new WeakMap<ActionInfo, string[]>();
/**
 * Per catalog: `service key` → whether an action of the service documents the key. Keys with
 * placeholders (`s3:RequestObjectTag/<key>`) come from policy text, so the map starts over
 * when it holds MAX_DOCUMENTED answers.
 */
const documentedByCatalog = new WeakMap<Catalog, Map<string, boolean>>();
const MAX_DOCUMENTED = 10_000;

function keysOf(catalog: Catalog, a: ActionInfo): string[] {
  let keys = keysByAction.get(a);
  if (!keys) keysByAction.set(a, (keys = actionConditionKeys(catalog, a)));
  return keys;
}

/**
 * Whether any action or resource type of a service documents the key. A key the service
 * defines but ties to nothing is a gap in the reference, not evidence.
 */
function documentedOnAnyAction(catalog: Catalog, service: string, key: string): boolean {
  return boundedMemoFor(documentedByCatalog, catalog, `${service} ${key}`, MAX_DOCUMENTED, () => catalog.actions(service).some((a) => keysOf(catalog, a).some((k) => matchesWildcard(k, key))));
}

/**
 * Condition keys KMS documents for IAM policies only: `kms:ResourceAliases` ("IAM policies
 * only") and `aws:ResourceTag/…` (tag authorization "isn't supported in key policies").
 * Whether PutKeyPolicy refuses them is not documented, so they are reported as having no effect.
 */
function iamPolicyOnly(key: string): boolean {
  const k = key.toLowerCase();
  return k === 'kms:resourcealiases' || k.startsWith('aws:resourcetag/');
}

/**
 * A KMS operation on no KMS key (`ListKeys`, `ListAliases`, `ListRetirableGrants`: no resource
 * type, no condition key) under a `kms:` key that describes a key or a key operation's request:
 * the KMS Developer Guide says such a condition can never be satisfied there, so the reference's
 * silence is evidence for these. `kms:CallerAccount` and `kms:ViaService` are left alone.
 */
function namesNoKmsKey(a: ActionInfo, lowerKey: string): boolean {
  return a.service === 'kms' && a.resourceTypes.length === 0 && a.conditionKeys.length === 0 && lowerKey !== 'kms:calleraccount' && lowerKey !== 'kms:viaservice';
}

/** Why, when KMS operations on no key are among the actions: ` kms:ListKeys acts on no KMS key…`. */
function noKeyNote(actions: readonly ActionInfo[], lowerKey: string): string {
  const names = actions.filter((a) => namesNoKmsKey(a, lowerKey)).map((a) => `kms:${a.name}`);
  if (names.length === 0) return '';
  return ` ${names.join(', ')} ${names.length === 1 ? 'acts' : 'act'} on no KMS key, so no condition about a key or its request holds for ${names.length === 1 ? 'it' : 'them'}.`;
}

/** The global tag keys: support for them is documented per action (and resource type). */
function isTagKey(lowerKey: string): boolean {
  return lowerKey.startsWith('aws:resourcetag/') || lowerKey.startsWith('aws:requesttag/') || lowerKey === 'aws:tagkeys';
}

/** `s3, sqs` for messages: the services of the actions, each once. */
function servicesOf(actions: readonly ActionInfo[]): string {
  const services = [...new Set(actions.map((a) => a.service))];
  return `${services.length === 1 ? 'service' : 'services'} ${services.join(', ')}`;
}

/**
 * A service condition key that no action of the statement supports: the request never
 * carries it, so the condition never matches (or, with IfExists, always does). Global keys
 * count as supported; unknown keys are `unknown-condition-key`'s to report. An action of the
 * key's own service that documents no condition keys at all counts as "not known", not as
 * "unsupported". When only some actions of the statement do not support the key, those are
 * reported (the condition does not work for them).
 *
 * The global tag keys (`aws:ResourceTag/…`, `aws:RequestTag/…`, `aws:TagKeys`) are judged on
 * the actions that document no condition keys at all (no resource type, no request tags): an
 * Allow does not allow them (a suggestion), a Deny does not deny them (a warning). With
 * NotAction the statement covers such actions whatever it lists.
 */
export const conditionKeyNotSupported: Check = {
  id: 'condition-key-not-supported',
  defaultSeverity: 'error',
  summary: 'An action of the statement does not support this condition key',
  statementLocal: true,
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      const entries = statementConditions(s);
      if (entries.length === 0) continue;
      if (onlyServicePrincipals(s)) reportServicePrincipalKeys(ctx, entries);
      if (s.elements.NotAction) {
        if (ctx.doc.kind !== 'kms-key-policy') reportNotActionTags(ctx, s.effect, entries);
        continue;
      }
      const known = knownStatementActions(ctx.catalog, s);
      if (!known) continue;
      for (let i = 0; i < entries.length; i++) {
        const c = entries[i];
        if (ctx.doc.kind === 'kms-key-policy' && iamPolicyOnly(c.key)) {
          ctx.report(c.keyNode, `${c.key} has no effect in a key policy: KMS documents it for IAM policies only. Use it in the IAM policies that allow access to the key, or name the key's principals and aliases here directly.`, { severity: 'warning' });
          continue;
        }
        const key = c.key.toLowerCase();
        if (isTagKey(key)) {
          if (ctx.doc.kind !== 'kms-key-policy') reportTagKey(ctx, s.effect, c, known.actions);
          continue;
        }
        const info = ctx.catalog.conditionKey(c.key);
        if (!info || info.global || !info.service) continue;
        const unsupported = known.actions.filter((a) => {
          const keys = keysOf(ctx.catalog, a);
          return !keys.some((k) => matchesWildcard(k, key)) && !(a.service === info.service && keys.length === 0 && !namesNoKmsKey(a, key));
        });
        if (unsupported.length === 0 || !documentedOnAnyAction(ctx.catalog, info.service, key)) continue;
        // An absent key makes IfExists, a negated operator and ForAllValues true, a positive one false.
        const effect = c.operator.ifExists
          ? 'with IfExists the condition is always true'
          : c.operator.base === 'Null' ? 'the key is always absent'
            : c.operator.set === 'ForAllValues' ? 'with ForAllValues the condition is always true'
              : c.operator.set !== 'ForAnyValue' && c.operator.base?.includes('Not') ? `${c.operator.base} is always true`
                : 'the condition never matches as intended';
        if (unsupported.length === known.actions.length) {
          const setter = onlySetter(ctx.catalog, info.service, key, known.actions);
          const name = setter ? `${setter.service}:${setter.name}` : undefined;
          // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
          const lead = leadSentence((k) => `${k} is not supported by ${known.actions.length === 1 ? 'the action' : 'any action'} of this statement: ${name ? `add ${name} to the Action element` : 'remove it, or change the actions'}.`, info.key, 'This condition key');
          const details = `${known.actions.length === 1 ? 'The action is' : 'The actions are'} ${describeActions(known.actions)}; requests for ${known.actions.length === 1 ? 'it' : 'them'} never carry ${info.key}, so ${effect}.${name ? ` ${name} is the only action that sets this key.` : ''}${noKeyNote(known.actions, key)}`;
          if (!setter || !name) ctx.report(c.keyNode, `${lead} ${details}`);
          else {
            const fix = addActionFix(ctx.doc.json.text, s, name, !ctx.doc.embedded);
            ctx.report(c.keyNode, `${lead} ${details}`, { fixes: fix ? [fix] : undefined });
          }
        } else {
          // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
          // A warning, below Access Analyzer's ERROR for UNSUPPORTED_ACTION_FOR_CONDITION_KEY: this
          // rule follows the reference and is broader than Access Analyzer's, which raises it on
          // none of the AWS managed policies where this one finds 22 that IAM accepts.
          const them = unsupported.length === 1 ? 'it' : 'them';
          const lead = leadSentence((k) => `${k} does not apply to ${unsupported.length === 1 ? 'an action' : `${unsupported.length} actions`} of the statement: move ${them} to a statement without the key.`, c.key, 'This condition key');
          ctx.report(c.keyNode, `${lead} ${unsupported.length === 1 ? 'It is' : 'They are'} ${describeActions(unsupported)}. Requests for ${them} never carry ${c.key}, so for ${them} ${effect}.${noKeyNote(unsupported, key)}`, { severity: 'warning' });
        }
      }
    }
  },
};

/**
 * The one action of the key's service that documents the key, when the statement's actions
 * are of that service (`iam:PassedToService` → `iam:PassRole`, `kms:GrantOperations` →
 * `kms:CreateGrant`): the statement names a key whose action it forgot.
 */
function onlySetter(catalog: Catalog, service: string, key: string, actions: readonly ActionInfo[]): ActionInfo | undefined {
  if (!actions.some((a) => a.service === service)) return undefined;
  let found: ActionInfo | undefined;
  const aList = catalog.actions(service);
  for (let i = 0; i < aList.length; i++) {
    const a = aList[i];
    if (!keysOf(catalog, a).some((k) => matchesWildcard(k, key))) continue;
    if (found) return undefined;
    found = a;
  }
  return found;
}

/** Adds an action after the last entry of the Action element (a string becomes an array). */
function addActionFix(text: string, s: Statement, action: string, wrapLong: boolean): LocalFix | undefined {
  const edit = appendValuesEdit(text, s.elements.Action?.value, [action], wrapLong);
  return edit && { title: `Add ${action} to Action`, id: 'add-setter-action', isPreferred: true, edits: [edit] };
}

/**
 * Global keys about the calling IAM principal that a request from an AWS service principal
 * never carries (the IAM User Guide's availability of each): the service is no member of an
 * organization, has no tags, no MFA, no temporary credentials of a user, no user name.
 */
function principalOnlyKey(lowerKey: string): boolean {
  return lowerKey === 'aws:principalorgid' || lowerKey === 'aws:principalorgpaths' || lowerKey.startsWith('aws:principaltag/')
    || lowerKey === 'aws:multifactorauthage' || lowerKey === 'aws:multifactorauthpresent' || lowerKey === 'aws:tokenissuetime'
    || lowerKey === 'aws:federatedprovider' || lowerKey === 'aws:username';
}

/** A Principal that names service principals only (no account, federated or `*` principal). */
function onlyServicePrincipals(s: Statement): boolean {
  const node = s.elements.Principal?.value;
  if (!node || node.type !== 'object') return false;
  const entries = principalEntries(node);
  return entries.length > 0 && entries.every((e) => e.type === 'Service');
}

function reportServicePrincipalKeys(ctx: CheckContext, entries: readonly ConditionEntry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i];
    if (!principalOnlyKey(c.key.toLowerCase())) continue;
    ctx.report(c.keyNode, `${c.key} is not supported when the principal is an AWS service: a service principal's request never carries it (it describes an IAM user or role: its organization, tags, MFA or credentials). Remove it, or use aws:SourceAccount or aws:SourceArn to tie the service to your resources.`, { severity: 'error' });
  }
}

/** A global tag key on actions that document no condition keys (see `conditionKeyNotSupported`). */
function reportTagKey(ctx: CheckContext, effect: 'Allow' | 'Deny' | undefined, c: ConditionEntry, actions: readonly ActionInfo[]): void {
  if (!effect) return;
  const unsupported = actions.filter((a) => keysOf(ctx.catalog, a).length === 0);
  if (unsupported.length === 0) return;
  const them = unsupported.length === 1 ? 'it' : 'them';
  const outcome = effect === 'Allow' ? `this statement does not allow ${them}` : `this statement does not deny ${them}`;
  ctx.report(c.keyNode, `This tag key is not supported by ${unsupported.length === 1 ? 'this action' : `these ${unsupported.length} actions`}: move ${them} to a statement without it. ${c.key} is not supported by ${servicesOf(unsupported)}: ${describeActions(unsupported)}. Requests for ${them} carry no tags, so ${outcome}.`, { severity: effect === 'Allow' ? 'info' : 'warning' });
}

/** A global tag key in a NotAction statement: it covers actions of every service, some of which carry no tags. */
function reportNotActionTags(ctx: CheckContext, effect: 'Allow' | 'Deny' | undefined, entries: readonly ConditionEntry[]): void {
  if (!effect) return;
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i];
    if (!isTagKey(c.key.toLowerCase())) continue;
    const outcome = effect === 'Allow'
      ? 'the statement allows only the actions that support it'
      : 'the statement does not deny the actions that do not support it, which can be more than you meant to leave open';
    ctx.report(c.keyNode, `${c.key} with NotAction: the statement covers actions of many services, and the key does not apply to some of them, so ${outcome}. Use Action with the actions that support the key instead of NotAction.`, { severity: effect === 'Allow' ? 'info' : 'warning' });
  }
}
