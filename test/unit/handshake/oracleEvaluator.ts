/**
 * Asks `@cloud-copilot/iam-simulate` (AGPL: a devDependency used by tests only, never
 * bundled) whether a principal of another account can call a KMS action on the key, with
 * the request context AWS builds for that principal.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import {
  EC_KEY, GRANT_OPERATIONS, KEY, A, accountOf,
  type GeneratedWorkspace, type Json, type PolicyStatement, type Principal,
} from './oracleWorkspaces';

/** One request context: a direct call, or a call through a service; grant operations say whether a service asked. */
export interface RequestSpec {
  via?: string;
  grantIsForAwsResource?: boolean;
  /** The value of the encryption context pair `project` (absent when undefined). */
  encryptionContext?: string;
  /**
   * For an account the manifest's organization does not list: not in any organization
   * (`none`, the keys are absent), or in another organization (its id). Undefined for members.
   */
  foreignOrg?: string;
}

export function specLabel(s: RequestSpec): string {
  const parts = [s.via ? `through ${s.via}` : 'direct call'];
  if (s.grantIsForAwsResource !== undefined) parts.push(`kms:GrantIsForAWSResource=${s.grantIsForAwsResource}`);
  if (s.encryptionContext !== undefined) parts.push(`encryption context project=${s.encryptionContext}`);
  if (s.foreignOrg) parts.push(s.foreignOrg === 'none' ? 'the account in no organization' : `the account in organization ${s.foreignOrg}`);
  return parts.join(', ');
}

/**
 * An integrated service the workspace does not name: a principal may call through any
 * service that supports KMS (and with kms:GrantIsForAWSResource true some service calls for
 * it), not only through the ones the policies name.
 */
export const OTHER_SERVICE = 'secretsmanager.us-west-2.amazonaws.com';

/**
 * The request contexts that matter for an action in a workspace; the first is the direct
 * call. `orgWorlds`: what may be true of the caller's account when the manifest's
 * organization does not list it (see `foreignOrgWorlds`).
 */
export function requestSpecs(action: string, vias: string[], encryptionContexts: (string | undefined)[], orgWorlds: (string | undefined)[] = [undefined]): RequestSpec[] {
  const base: RequestSpec[] = GRANT_OPERATIONS.has(action)
    ? [{ grantIsForAwsResource: false }, { via: OTHER_SERVICE, grantIsForAwsResource: true }, ...vias.map((via) => ({ via, grantIsForAwsResource: true }))]
    : [{}, { via: OTHER_SERVICE }, ...vias.map((via) => ({ via }))];
  return base
    .flatMap((s) => encryptionContexts.map((encryptionContext) => (encryptionContext === undefined ? s : { ...s, encryptionContext })))
    .flatMap((s) => orgWorlds.map((foreignOrg) => (foreignOrg === undefined ? s : { ...s, foreignOrg })));
}

/**
 * An account the manifest's organization does not list is not a member of that
 * organization; whether it belongs to another one the workspace does not say. When the
 * policies read the organization keys, each possibility is a context of its own: no
 * organization, an organization the policies name, one they do not name.
 */
export const FOREIGN_ORGS = ['none', 'o-zzzzzzzzzz', 'o-yyyyyyyyyy'];

/**
 * The oracle cannot carry `kms:EncryptionContext:KEY` in a request (it keeps only context
 * keys it can name, and that key's name has a variable part after a colon): in the
 * oracle's copy of the policies, `kms:EncryptionContext:project` becomes the global
 * single-valued string key `aws:PrincipalTag/ec-project`, and the request carries the pair
 * under that name. Operators and values are unchanged, so the answer is the same.
 */
export const EC_STAND_IN = 'aws:PrincipalTag/ec-project';

function forOracle(statements: PolicyStatement[]): Json {
  const text = JSON.stringify(statements).split(JSON.stringify(EC_KEY)).join(JSON.stringify(EC_STAND_IN));
  return { Version: '2012-10-17', Statement: JSON.parse(text) as Json };
}

export const ALLOW_EVERYTHING_KEY: PolicyStatement[] = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }];
export const ALLOW_EVERYTHING_IAM: PolicyStatement[] = [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }];

export type OracleResult = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * Which policies a question uses: the key policy's statements and the principal's identity
 * policies, each with an id under which answers are kept (the same id, the same statements).
 */
export interface PolicySet { keyId: string; key: PolicyStatement[]; identityId: string; identity: PolicyStatement[][] }

/** The key side alone: the identity side allows everything. */
export function keyAlone(set: PolicySet): PolicySet {
  return { ...set, identityId: 'allow-everything', identity: [ALLOW_EVERYTHING_IAM] };
}

/** The identity side alone: the key policy allows everything. */
export function identityAlone(set: PolicySet): PolicySet {
  return { ...set, keyId: 'allow-everything', key: ALLOW_EVERYTHING_KEY };
}

export class Oracle {
  private readonly cache = new Map<string, Promise<OracleResult>>();
  questions = 0;
  constructor(private readonly w: GeneratedWorkspace) {}

  requestContext(p: Principal, action: string, spec: RequestSpec): Record<string, string | string[]> {
    const account = p.account;
    const ctx: Record<string, string | string[]> = {
      'aws:PrincipalArn': p.arn,
      'aws:PrincipalAccount': account,
      'kms:CallerAccount': account,
      'aws:PrincipalType': p.kind === 'role' ? 'AssumedRole' : 'User',
    };
    const path = this.w.organization?.accounts[account];
    if (path) {
      ctx['aws:PrincipalOrgID'] = this.w.organization!.id;
      ctx['aws:PrincipalOrgPaths'] = [path];
    } else if (spec.foreignOrg && spec.foreignOrg !== 'none') {
      ctx['aws:PrincipalOrgID'] = spec.foreignOrg;
      ctx['aws:PrincipalOrgPaths'] = [`${spec.foreignOrg}/r-zz99/`];
    }
    if (spec.via) ctx['kms:ViaService'] = spec.via;
    if (GRANT_OPERATIONS.has(action)) ctx['kms:GrantIsForAWSResource'] = String(spec.grantIsForAwsResource ?? false);
    if (spec.encryptionContext !== undefined) ctx[EC_STAND_IN] = spec.encryptionContext;
    return ctx;
  }

  /** The caller as the request names it: a role's session, or the user. */
  static caller(p: Principal): string {
    return p.kind === 'role' ? `arn:aws:sts::${p.account}:assumed-role/${p.arn.split('/').pop()}/oracle-session` : p.arn;
  }

  /**
   * Whether the oracle allows the request. Across accounts the oracle allows only when each
   * side alone allows (the key policy with an allow-everything identity side, and the other
   * way round; a Deny on either side denies): those answers are shared by many questions,
   * so they are asked first, and the question itself only when both allow.
   */
  async allows(policies: PolicySet, p: Principal, action: string, spec: RequestSpec): Promise<boolean> {
    const keySide = policies.identityId === 'allow-everything';
    const iamSide = policies.keyId === 'allow-everything';
    if (!keySide && !iamSide) {
      // The key side first: the same key policy is asked with many identity sides.
      if ((await this.ask(keyAlone(policies), p, action, spec)) !== 'Allowed') return false;
      if ((await this.ask(identityAlone(policies), p, action, spec)) !== 'Allowed') return false;
    }
    return (await this.ask(policies, p, action, spec)) === 'Allowed';
  }

  ask(policies: PolicySet, p: Principal, action: string, spec: RequestSpec): Promise<OracleResult> {
    const id = `${policies.keyId}|${policies.identityId}|${p.arn}|${action}|${JSON.stringify(spec)}`;
    let answer = this.cache.get(id);
    if (!answer) {
      answer = this.run(policies, p, action, spec);
      this.cache.set(id, answer);
    }
    return answer;
  }

  private async run(policies: PolicySet, p: Principal, action: string, spec: RequestSpec): Promise<OracleResult> {
    this.questions++;
    const result = await runSimulation({
      request: {
        principal: Oracle.caller(p),
        action,
        resource: { resource: KEY, accountId: A },
        contextVariables: this.requestContext(p, action, spec),
      },
      identityPolicies: policies.identity.map((statements, i) => ({ name: `policy${i}`, policy: forOracle(statements) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: forOracle(policies.key),
    }, {});
    if (result.resultType === 'error') {
      throw new Error(`the oracle rejected the question (${result.errors.message}): ${JSON.stringify(result.errors)}\nkey policy: ${JSON.stringify(policies.key)}\nidentity: ${JSON.stringify(policies.identity)}`);
    }
    if (accountOf(p.arn) === A) throw new Error('the oracle test asks about external principals only');
    return result.overallResult;
  }
}
