import { leadSentence } from '../findings';
import type { Check, CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import type { Statement } from '../model/policyDocument';
import { isKnownArnService, knownArnServices } from '../model/arnServices';
import { nearestName } from '../nearestName';
import { listResources, type ListResources, type ResourceFormat } from '../model/arnFormats';
import { arnPartsProblem, arnResourceProblem, arnService, fitsFormat, itemResourceFact, type ResourceFact } from '../model/resourceFacts';
import { statementItems, ACTION_ELEMENTS, RESOURCE_ELEMENTS } from '../model/policyDocument';
import { variablesEnabled } from '../model/policyVariables';
import { describeActions, knownStatementActions } from '../model/knownActions';

/**
 * A resource no action of its statement can act on: `s3:GetObject` on a bucket ARN,
 * `kms:Decrypt` on an S3 ARN. The statement then grants nothing for that resource.
 *
 * What counts as certain: within one service, the reference's resource types are complete
 * enough to say an ARN of that service fits none of them. Across services they are not (AWS
 * integrations such as CodeConnections ARNs for codestar-connections actions or EKS clusters
 * for SSM sessions are missing), so a resource of another service is reported only when
 * every action is a KMS action: KMS acts on its keys and aliases alone.
 * Only statements whose actions are all known and all have documented resource types;
 * `"*"` resources, NotAction and NotResource statements are never flagged.
 *
 * Apart from that, an ARN (in Resource or NotResource) whose service part no service of the
 * catalog has, neither as IAM prefix nor in a documented ARN format, names no resource any
 * action acts on: a retired service or a typo. A warning, as new services reach the catalog late.
 */
export const resourceTypeMismatch: Check = {
  id: 'resource-type-mismatch',
  defaultSeverity: 'warning',
  summary: "No action of the statement accepts this resource's type",
  statementLocal: true,
  run(ctx) {
    const variables = variablesEnabled(ctx.doc.root);
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      const unknownService = reportUnknownServices(ctx, s, variables);
      if (s.elements.NotResource || !s.elements.Resource) continue;
      const resources: { node: JsonNode; fact: ResourceFact }[] = [];
      const rs = statementItems(s, 'Resource');
      for (let i = 0; i < rs.length; i++) {
        const r = rs[i];
        if (r.value !== undefined && r.value !== '*' && !unknownService?.has(r.node)) resources.push({ node: r.node, fact: itemResourceFact(r, variables)! });
      }
      if (resources.length === 0) continue;
      const known = knownStatementActions(ctx.catalog, s);
      if (!known) continue;
      // Per entry's list of actions (shared across files), not per action of each statement.
      const lists = known.parts.map((p) => listResources(ctx.catalog, p));
      // The reference lists no resource type for many actions that AWS does authorize
      // against ARNs (iam:ListRoles on role paths, ssmmessages:OpenDataChannel on sessions),
      // so such an action is taken to accept anything.
      if (lists.some((l) => l.anything)) continue;
      // The formats the statement's actions take, once per statement, when a resource fits none.
      let expected: ResourceFormat[] | undefined;
      for (let i = 0; i < resources.length; i++) {
        const { node, fact } = resources[i];
        // Malformed ARNs are invalid-arn's, KMS alias ARNs alias-as-key-resource's; a resource
        // that is all wildcards names anything.
        if (fitsAny(fact, lists) || fact.problem || fact.allWildcards || fact.kmsAlias) continue;
        // A Region or account the service's ARNs do not take (or lack), or a resource part no
        // resource type of the service has, is invalid-arn's: one mistake, one finding.
        if (arnPartsProblem(ctx.catalog, fact) || arnResourceProblem(ctx.catalog, fact)) continue;
        // Formats are shared per resource type: the same type from two actions is one format.
        expected ??= [...new Map(lists.flatMap((l) => l.formatLists.flat()).map((f) => [f.arn, f])).values()];
        const sameService = expected.some((f) => arnService(f.arn) === fact.service);
        const allKms = known.each.every((a) => a.service === 'kms');
        if (!sameService && !allKms) continue;
        const list = expected.slice(0, 4).map((f) => `${f.type} (${f.arn})`).join(', ') + (expected.length > 4 ? ', …' : '');
        const effect = s.effect === 'Deny' ? 'denies' : 'grants';
        // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
        ctx.report(node, `${leadSentence((v) => `No action of this statement acts on ${v}: name a resource they take, or remove it.`, `"${fact.value}"`, 'this resource')} `
          + `The entry ${effect} nothing for ${describeActions(known.actions)}. ${known.actions.length === 1 ? 'It takes' : 'They take'}: ${list}.`);
      }
    }
  },
};

/** Whether the resource can name a resource of a format some action accepts (the first fit ends the search). */
function fitsAny(fact: ResourceFact, lists: readonly ListResources[]): boolean {
  for (let j = 0; j < lists.length; j++) {
    const l = lists[j];
    for (let i = 0; i < l.formatLists.length; i++) {
      const formats = l.formatLists[i];
      for (let i = 0; i < formats.length; i++) {
        const f = formats[i];
        if (fitsFormat(fact, f)) return true;
      }
    }
  }
  return false;
}

/**
 * Reports Resource/NotResource ARNs of a service the catalog does not know, and returns their
 * nodes (undefined when there are none). An action of the same unknown prefix in the
 * statement is unknown-service's to report.
 */
function reportUnknownServices(ctx: CheckContext, s: Statement, variables: boolean): Set<JsonNode> | undefined {
  let reported: Set<JsonNode> | undefined;
  // Read only for a resource of an unknown service, which is rare.
  let actionPrefixes: Set<string> | undefined;
  const prefixes = () => {
    actionPrefixes = new Set<string>();
    for (let j = 0; j < ACTION_ELEMENTS.length; j++) {
      const name = ACTION_ELEMENTS[j];
      const aList = statementItems(s, name);
      for (let i = 0; i < aList.length; i++) {
        const a = aList[i];
        const colon = a.value?.indexOf(':') ?? -1;
        if (colon > 0) actionPrefixes.add(a.value!.slice(0, colon).toLowerCase());
      }
    }
    return actionPrefixes;
  };
  for (let j = 0; j < RESOURCE_ELEMENTS.length; j++) {
    const name = RESOURCE_ELEMENTS[j];
    const rs = statementItems(s, name);
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      if (r.value === undefined || r.value === '*') continue;
      const { problem, service } = itemResourceFact(r, variables)!;
      if (problem || !service || isKnownArnService(ctx.catalog, service) || (actionPrefixes ?? prefixes()).has(service)) continue;
      (reported ??= new Set()).add(r.node);
      const suggestion = nearestName(service, knownArnServices(ctx.catalog));
      const hint = suggestion ? `did you mean "${suggestion}"?` : 'a retired service, or a typo?';
      ctx.report(r.node, `No service in the catalog has the prefix "${service}", so "${r.value}" names no resource any action acts on (${hint}).`);
    }
  }
  return reported;
}
