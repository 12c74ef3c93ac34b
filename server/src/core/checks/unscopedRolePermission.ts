import type { Check } from './check';
import { leadSentence } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { itemActionFact } from '../model/actionFacts';
import { statementConditions, type ConditionEntry } from '../model/conditions';
import { statementItems, type Statement } from '../model/policyDocument';
import { matchesWildcard } from '../wildcard';

/**
 * The two IAM actions that hand a role to a service: `iam:PassRole` (a service acts as the
 * role) and `iam:CreateServiceLinkedRole` (a service gets a role of its own). Each is safe
 * only when the statement names the roles, or, for PassRole, the services it may pass them to.
 */
interface RoleAction {
  action: string;
  lower: string;
  /** The condition key that narrows the action without naming resources. */
  narrowingKey: string;
  /** What the holder can do, for messages. */
  risk: string;
  /** What to do, after the colon of the message's first sentence; `short` when the sentence would be too long. */
  advice: string;
  short: string;
}

const ROLE_ACTIONS: readonly RoleAction[] = [
  {
    action: 'iam:PassRole',
    lower: 'iam:passrole',
    narrowingKey: 'iam:passedtoservice',
    risk: 'pass any role to any service, which then acts with that role\'s permissions',
    advice: 'name the roles in Resource, or add iam:PassedToService',
    short: 'name the roles, or add iam:PassedToService',
  },
  {
    action: 'iam:CreateServiceLinkedRole',
    lower: 'iam:createservicelinkedrole',
    narrowingKey: 'iam:awsservicename',
    risk: 'create service-linked roles for services you did not intend',
    advice: 'name the roles in Resource, or add iam:AWSServiceName',
    short: 'name the roles, or add iam:AWSServiceName',
  },
];

/** How the statement reaches the action: the Action entry that names it, or NotAction that leaves it in. */
interface Reach {
  node: JsonNode;
  how: 'action' | 'star-action' | 'not-action';
}

function reachOf(catalog: Parameters<typeof itemActionFact>[0], s: Statement, target: RoleAction): Reach | undefined {
  if (s.elements.Action) {
    let star: Reach | undefined;
    const items = statementItems(s, 'Action');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.value === undefined) continue;
      if (item.value === '*') { star ??= { node: item.node, how: 'star-action' }; continue; }
      const fact = itemActionFact(catalog, item);
      if (!fact || !(fact.serviceWildcard || fact.serviceKey === 'iam')) continue;
      const lower = item.value.toLowerCase();
      if (lower === target.lower) return { node: item.node, how: 'action' };
      if (matchesWildcard(lower, target.lower)) star ??= { node: item.node, how: 'star-action' };
    }
    return star;
  }
  const notAction = s.elements.NotAction;
  if (!notAction) return undefined;
  const items2 = statementItems(s, 'NotAction');
  for (let i = 0; i < items2.length; i++) {
    const item = items2[i];
    // An intrinsic entry may name the action: nothing is known.
    if (item.value === undefined) return undefined;
    if (matchesWildcard(item.value.toLowerCase(), target.lower)) return undefined;
  }
  return { node: notAction.key, how: 'not-action' };
}

/** `*` among the resources (the whole account's roles), or NotResource (all but some). */
function resourceScope(s: Statement): 'star' | 'not-resource' | undefined {
  if (s.elements.NotResource) return 'not-resource';
  return statementItems(s, 'Resource').some((i) => i.value === '*') ? 'star' : undefined;
}

/**
 * A condition that limits the action to some services: a positive string operator on the
 * narrowing key with a value other than `*`. IfExists counts: IAM puts the key in every
 * request for the action, so the condition is always evaluated.
 */
function narrows(c: ConditionEntry, target: RoleAction): boolean {
  if (c.key.toLowerCase() !== target.narrowingKey) return false;
  const base = c.operator.base;
  if (base !== 'StringEquals' && base !== 'StringLike' && base !== 'StringEqualsIgnoreCase') return false;
  return c.values.length > 0 && c.values.every((v) => v.value !== '*');
}

function describe(reach: Reach['how'], scope: 'star' | 'not-resource', target: RoleAction): string {
  const resources = scope === 'star' ? 'on every resource' : 'with NotResource';
  if (reach === 'action') return `${target.action} is allowed ${resources}`;
  if (reach === 'star-action') return `A wildcard action allows ${target.action} ${resources}`;
  return `NotAction leaves ${target.action} allowed ${resources}`;
}

/**
 * Allow statements of identity policies that give `iam:PassRole` or
 * `iam:CreateServiceLinkedRole` on every role: by name, by a wildcard action or through
 * `NotAction`, with `Resource: "*"` or `NotResource`, and without the condition key that
 * narrows the action.
 */
export const unscopedRolePermission: Check = {
  id: 'unscoped-role-permission',
  defaultSeverity: 'warning',
  summary: 'iam:PassRole or iam:CreateServiceLinkedRole allowed on every role',
  kinds: ['iam-identity-policy'],
  statementLocal: true,
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      if (s.effect !== 'Allow') continue;
      const scope = resourceScope(s);
      if (!scope) continue;
      const conditions = statementConditions(s);
      for (let i = 0; i < ROLE_ACTIONS.length; i++) {
        const target = ROLE_ACTIONS[i];
        if (conditions.some((c) => narrows(c, target))) continue;
        const reach = reachOf(ctx.catalog, s, target);
        if (!reach) continue;
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then why.
        const where = scope === 'star' ? '"Resource": "*" stands for every role' : 'NotResource stands for every role but the ones listed';
        ctx.report(reach.node, `${leadSentence((advice) => `${describe(reach.how, scope, target)}: ${advice}.`, target.advice, target.short)} ${where}: it lets the holder ${target.risk}.`);
      }
    }
  },
};
