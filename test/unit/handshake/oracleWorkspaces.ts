/**
 * Seeded two- and three-account workspaces for the oracle agreement test: account A's key
 * policy (the default own-account statement plus random statements trusting B and C), and
 * identity policies of B's and C's roles and users granting KMS actions on the key, a
 * wildcard key ARN, `*` or another key. Policies are kept as values so a failing case can
 * be shrunk statement by statement and rendered again.
 */
import { A, B, C, KEY, OTHER_KEY } from './workspaceFixture';

export { A, B, C, KEY, OTHER_KEY };

/** A small seeded PRNG (mulberry32): the same seed gives the same workspaces. */
export class Rng {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(list: readonly T[]): T { return list[this.int(list.length)]; }
  /** 1 to max distinct items. */
  some<T>(list: readonly T[], max = 3): T[] {
    const n = 1 + this.int(Math.min(max, list.length));
    const pool = [...list];
    const out: T[] = [];
    while (out.length < n) out.push(pool.splice(this.int(pool.length), 1)[0]);
    return out;
  }
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type PolicyStatement = Record<string, Json>;

export interface Principal {
  arn: string;
  account: string;
  kind: 'role' | 'user';
  /** Identity policy files: each a list of statements. */
  policies: PolicyStatement[][];
}

export interface Organization { id: string; accounts: Record<string, string> }

export interface GeneratedWorkspace {
  /** Statements of the key policy after the default own-account statement. */
  keyStatements: PolicyStatement[];
  principals: Principal[];
  organization?: Organization;
  /** The external accounts of the workspace (B, and C in three-account workspaces). */
  external: string[];
}

export const ORG_ID = 'o-a1b2c3d4e5';
export const ORG_PATHS: Record<string, string> = {
  [A]: `${ORG_ID}/r-ab12/`,
  [B]: `${ORG_ID}/r-ab12/ou-ab12-11111111/`,
  [C]: `${ORG_ID}/r-ab12/ou-ab12-22222222/`,
};

/** The concrete KMS actions the generator writes (wildcards expand to these and others). */
export const ACTION_POOL = [
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:DescribeKey',
  'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:RetireGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion',
];
/**
 * Actions asked of the oracle: the pool, and one for each set of other actions the generated
 * elements (the wildcards below, `kms:*`, NotAction over the pool) cannot tell apart:
 * ReEncryptTo (`kms:Re*`), GenerateDataKeyWithoutPlaintext for GenerateDataKeyPair… and
 * GenerateMac (`kms:Generate*`), Sign for Verify, VerifyMac, DeriveSharedSecret,
 * GetKeyRotationStatus and GetPublicKey (only `kms:*` and NotAction reach them). What a
 * finding claims about those others is checked on their stand-in.
 */
export const ORACLE_ACTIONS = [...ACTION_POOL, 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:Sign'];
export const STAND_INS: Record<string, string> = {
  'kms:GenerateDataKeyPair': 'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPairWithoutPlaintext': 'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac': 'kms:GenerateDataKeyWithoutPlaintext',
  'kms:Verify': 'kms:Sign',
  'kms:VerifyMac': 'kms:Sign',
  'kms:DeriveSharedSecret': 'kms:Sign',
  'kms:GetKeyRotationStatus': 'kms:Sign',
  'kms:GetPublicKey': 'kms:Sign',
};
export const ACTION_WILDCARDS = ['kms:*', 'kms:Re*', 'kms:Generate*', 'kms:*Grant*', 'kms:Describe*'];
/** Grant operations: the request carries kms:GrantIsForAWSResource. */
export const GRANT_OPERATIONS = new Set(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);

export const VIA_SERVICES = ['s3.us-west-2.amazonaws.com', 'ec2.us-west-2.amazonaws.com'];
export const EC_KEY = 'kms:EncryptionContext:project';
export const EC_VALUES = ['alpha', 'beta'];

const ROLE_NAMES: Record<string, string[]> = { [B]: ['App', 'Etl', 'Reporting'], [C]: ['Batch', 'Loader'] };
const USER_NAMES: Record<string, string> = { [B]: 'alice', [C]: 'bob' };
/** A role of B that the key policy may name but the workspace does not describe. */
export const GHOST = `arn:aws:iam::${B}:role/Ghost`;

export const rootArn = (account: string) => `arn:aws:iam::${account}:root`;
export const accountOf = (arn: string) => arn.split(':')[4];

/** Three-account workspaces, with or without an organization. */
export function generateWorkspace(r: Rng): GeneratedWorkspace {
  const external = r.chance(0.5) ? [B, C] : [B];
  const principals: Principal[] = [];
  for (const account of external) {
    const roles = r.some(ROLE_NAMES[account], 3);
    for (const name of roles) principals.push({ arn: `arn:aws:iam::${account}:role/${name}`, account, kind: 'role', policies: [] });
    if (r.chance(0.35)) principals.push({ arn: `arn:aws:iam::${account}:user/${USER_NAMES[account]}`, account, kind: 'user', policies: [] });
  }
  let organization: Organization | undefined;
  if (r.chance(0.5)) {
    // A and B are members; C only sometimes.
    const members = [A, B, ...(r.chance(0.5) ? [C] : [])];
    organization = { id: ORG_ID, accounts: Object.fromEntries(members.map((m) => [m, ORG_PATHS[m]])) };
  }
  const w: GeneratedWorkspace = { keyStatements: [], principals, organization, external };
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) w.keyStatements.push(keyStatement(r, w));
  for (const p of principals) {
    const files = 1 + r.int(2);
    for (let f = 0; f < files; f++) {
      const statements: PolicyStatement[] = [];
      const m = 1 + r.int(3);
      for (let i = 0; i < m; i++) statements.push(identityStatement(r, w, p));
      p.policies.push(statements);
    }
  }
  // Policies that read the organization keys come with the organization in the manifest: an
  // account it does not list is then known not to be a member (the oracle test treats what
  // else it may belong to as unknown).
  if (!w.organization && /aws:PrincipalOrg(ID|Paths)/.test(JSON.stringify(w))) {
    w.organization = { id: ORG_ID, accounts: { [A]: ORG_PATHS[A], [B]: ORG_PATHS[B] } };
  }
  return w;
}

function actionsElement(r: Rng): PolicyStatement {
  if (r.chance(0.15)) return { NotAction: listOrOne(r, r.some(ACTION_POOL, 3)) };
  if (r.chance(0.3)) return { Action: r.pick(ACTION_WILDCARDS) };
  return { Action: listOrOne(r, r.some(ACTION_POOL, 4)) };
}

function listOrOne(r: Rng, values: string[]): Json {
  return values.length === 1 && r.chance(0.5) ? values[0] : values;
}

function principalEntry(r: Rng, w: GeneratedWorkspace): string {
  const account = r.pick(w.external);
  const described = w.principals.filter((p) => p.account === account);
  switch (r.int(5)) {
    case 0: return rootArn(account);
    case 1: return account;
    case 2: return account === B && r.chance(0.2) ? GHOST : (described.length ? r.pick(described).arn : rootArn(account));
    default: return r.chance(0.5) ? rootArn(account) : (described.length ? r.pick(described).arn : account);
  }
}

function keyStatement(r: Rng, w: GeneratedWorkspace): PolicyStatement {
  const deny = r.chance(0.2);
  const s: PolicyStatement = { Effect: deny ? 'Deny' : 'Allow' };
  const conditions: Condition[] = [];
  const form = r.int(10);
  if (form < 6) {
    s.Principal = { AWS: r.chance(0.2) ? [...new Set([principalEntry(r, w), principalEntry(r, w)])] : principalEntry(r, w) };
  } else if (form < 9) {
    s.Principal = r.chance(0.3) ? '*' : { AWS: '*' };
    // `*` restricted to accounts or to the organization (an Allow without one is public-key-policy's).
    if (!deny || r.chance(0.5)) conditions.push(r.pick([accountCondition, orgCondition, principalArnCondition])(r, w, deny));
  } else {
    s.Principal = { AWS: [rootArn(r.pick(w.external)), ...(w.principals.length ? [r.pick(w.principals).arn] : [])] };
  }
  Object.assign(s, actionsElement(r));
  s.Resource = '*';
  const extra = r.chance(0.55) ? 1 + r.int(2) : 0;
  for (let i = 0; i < extra; i++) conditions.push(r.pick(KEY_CONDITIONS)(r, w, deny));
  const c = conditionElement(conditions);
  if (c) s.Condition = c;
  return s;
}

function identityStatement(r: Rng, w: GeneratedWorkspace, p: Principal): PolicyStatement {
  if (r.chance(0.1)) return { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  const deny = r.chance(0.2);
  const s: PolicyStatement = { Effect: deny ? 'Deny' : 'Allow', ...actionsElement(r) };
  const wildcardKey = `arn:aws:kms:*:${A}:key/*`;
  const resources = [KEY, KEY, KEY, wildcardKey, '*', OTHER_KEY, [KEY, OTHER_KEY], `arn:aws:kms:us-west-2:${A}:key/1234abcd-*`] as Json[];
  s.Resource = r.pick(resources);
  if (r.chance(0.3)) {
    const c = conditionElement([r.pick(IDENTITY_CONDITIONS)(r, w, deny, p)]);
    if (c) s.Condition = c;
  }
  return s;
}

interface Condition { operator: string; key: string; values: Json }
type ConditionMaker = (r: Rng, w: GeneratedWorkspace, deny: boolean, p?: Principal) => Condition;

function conditionElement(list: Condition[]): Record<string, Json> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, Record<string, Json>> = {};
  for (const c of list) {
    out[c.operator] ??= {};
    if (!(c.key in out[c.operator])) out[c.operator][c.key] = c.values;
  }
  return out;
}

const values = (r: Rng, list: string[]): Json => listOrOne(r, r.some(list, 2));

const accountCondition: ConditionMaker = (r, w, deny) => ({
  operator: deny && r.chance(0.6) ? 'StringNotEquals' : r.pick(['StringEquals', 'StringEquals', 'StringLike']),
  key: r.pick(['kms:CallerAccount', 'aws:PrincipalAccount']),
  values: values(r, r.chance(0.15) ? [A, ...w.external] : w.external),
});

const orgCondition: ConditionMaker = (r, _w, deny) => {
  if (r.chance(0.5)) {
    return { operator: deny ? 'StringNotEquals' : r.pick(['StringEquals', 'StringEquals', 'StringEqualsIfExists']), key: 'aws:PrincipalOrgID', values: r.chance(0.85) ? ORG_ID : 'o-zzzzzzzzzz' };
  }
  const paths = [`${ORG_ID}/*`, `${ORG_ID}/r-ab12/ou-ab12-11111111/*`, `${ORG_ID}/r-ab12/ou-ab12-22222222/*`];
  const exact = [ORG_PATHS[B], ORG_PATHS[C]];
  return r.pick<Condition>([
    { operator: deny ? 'ForAnyValue:StringNotLike' : 'ForAnyValue:StringLike', key: 'aws:PrincipalOrgPaths', values: values(r, paths) },
    { operator: 'ForAnyValue:StringEquals', key: 'aws:PrincipalOrgPaths', values: values(r, exact) },
    { operator: 'ForAllValues:StringLike', key: 'aws:PrincipalOrgPaths', values: values(r, paths) },
  ]);
};

const principalArnCondition: ConditionMaker = (r, w, deny) => {
  const arns = [...w.principals.map((p) => p.arn), GHOST, `arn:aws:iam::${B}:role/*`, `arn:aws:iam::${B}:role/E*`, `arn:aws:iam::${C}:user/*`];
  const like = arns.filter((a) => a.includes('*'));
  const exact = arns.filter((a) => !a.includes('*'));
  if (deny && r.chance(0.5)) return { operator: r.pick(['ArnNotEquals', 'ArnNotLike', 'StringNotEquals']), key: 'aws:PrincipalArn', values: values(r, exact) };
  const operator = r.pick(['ArnEquals', 'ArnLike', 'StringEquals', 'StringLike']);
  const pool = operator === 'ArnLike' || operator === 'StringLike' ? [...exact, ...like] : exact;
  return { operator, key: 'aws:PrincipalArn', values: values(r, pool) };
};

const KEY_CONDITIONS: ConditionMaker[] = [
  principalArnCondition,
  accountCondition,
  orgCondition,
  (r, _w, deny) => ({ operator: deny && r.chance(0.5) ? 'StringNotEquals' : r.pick(['StringEquals', 'StringEqualsIgnoreCase']), key: 'aws:PrincipalType', values: r.pick(['AssumedRole', 'User', 'assumedrole']) }),
  (r, _w, deny) => ({ operator: deny ? r.pick(['StringNotEquals', 'StringNotEqualsIfExists']) : r.pick(['StringEquals', 'StringLike', 'StringEqualsIfExists']), key: 'kms:ViaService', values: values(r, VIA_SERVICES) }),
  (r) => ({ operator: r.pick(['Bool', 'Bool', 'BoolIfExists']), key: 'kms:GrantIsForAWSResource', values: r.pick<Json>(['true', true, 'false']) }),
  (r, w) => r.chance(0.5)
    ? { operator: 'StringEquals', key: 'aws:SourceAccount', values: r.pick(w.external) }
    : { operator: 'ArnLike', key: 'aws:SourceArn', values: `arn:aws:s3:::bucket-${r.int(3)}` },
  (r) => ({ operator: 'Null', key: r.pick(['aws:PrincipalOrgID', 'kms:ViaService', 'aws:SourceArn']), values: r.pick(['true', 'false']) }),
  (r, _w, deny) => ({ operator: deny ? 'StringNotEquals' : r.pick(['StringEquals', 'StringLike']), key: EC_KEY, values: values(r, EC_VALUES) }),
];

const IDENTITY_CONDITIONS: ConditionMaker[] = [
  (r, _w, deny) => ({ operator: deny ? 'StringNotEquals' : 'StringEquals', key: 'kms:ViaService', values: values(r, VIA_SERVICES) }),
  (r) => ({ operator: 'StringEquals', key: EC_KEY, values: values(r, EC_VALUES) }),
  (r, _w, _d, p) => ({ operator: 'StringEquals', key: 'kms:CallerAccount', values: r.chance(0.8) ? p!.account : A }),
  (r, _w, _d, p) => ({ operator: 'StringEquals', key: 'aws:PrincipalType', values: r.chance(0.7) ? (p!.kind === 'role' ? 'AssumedRole' : 'User') : 'FederatedUser' }),
  (r) => ({ operator: 'Bool', key: 'kms:GrantIsForAWSResource', values: r.pick(['true', 'false']) }),
  (r) => ({ operator: 'StringEquals', key: 'aws:PrincipalOrgID', values: r.chance(0.8) ? ORG_ID : 'o-zzzzzzzzzz' }),
];

// ---- Rendering ----

export const MANIFEST_PATH = '/ws/policy-handshake.json';
export const KEY_POLICY_PATH = '/ws/keys/key.json';
export const OWN_STATEMENT: PolicyStatement = { Sid: 'Own', Effect: 'Allow', Principal: { AWS: rootArn(A) }, Action: 'kms:*', Resource: '*' };

export interface RenderedPolicy {
  text: string;
  /** Offsets of each statement in the text (the own statement first for a key policy). */
  statements: { offset: number; end: number }[];
}

/** One statement per line, so statements have offset ranges and reproductions read well. */
export function renderPolicy(statements: PolicyStatement[]): RenderedPolicy {
  let text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n';
  const ranges: { offset: number; end: number }[] = [];
  statements.forEach((s, i) => {
    text += '    ';
    const json = JSON.stringify(s);
    ranges.push({ offset: text.length, end: text.length + json.length });
    text += json + (i < statements.length - 1 ? ',\n' : '\n');
  });
  text += '  ]\n}\n';
  return { text, statements: ranges };
}

export function principalFolder(p: Principal): string {
  return `/ws/${p.account === B ? 'b' : 'c'}/${p.arn.split('/').pop()!.toLowerCase()}`;
}

export function policyPath(p: Principal, index: number): string {
  return `${principalFolder(p)}/policy${index}.json`;
}

export interface RenderedWorkspace {
  files: Record<string, string>;
  keyPolicy: RenderedPolicy;
  /** By file path. */
  identity: Map<string, { principal: Principal; index: number; policy: RenderedPolicy }>;
}

export function renderWorkspace(w: GeneratedWorkspace): RenderedWorkspace {
  const accounts: Record<string, { name: string }> = { [A]: { name: 'security' }, [B]: { name: 'workloads' } };
  if (w.external.includes(C)) accounts[C] = { name: 'analytics' };
  const manifest: Record<string, Json> = {
    accounts,
    keys: [{ policy: 'keys/key.json', arn: KEY }],
    principals: w.principals.map((p) => ({ arn: p.arn, policies: [`${principalFolder(p).slice('/ws/'.length)}/*.json`] })),
  };
  if (w.organization) manifest.organization = w.organization as unknown as Json;
  const keyPolicy = renderPolicy([OWN_STATEMENT, ...w.keyStatements]);
  // One line per manifest entry.
  const manifestText = `{\n${Object.entries(manifest).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
  const files: Record<string, string> = { [MANIFEST_PATH]: manifestText, [KEY_POLICY_PATH]: keyPolicy.text };
  const identity = new Map<string, { principal: Principal; index: number; policy: RenderedPolicy }>();
  for (const p of w.principals) {
    p.policies.forEach((statements, index) => {
      const policy = renderPolicy(statements);
      files[policyPath(p, index)] = policy.text;
      identity.set(policyPath(p, index), { principal: p, index, policy });
    });
  }
  return { files, keyPolicy, identity };
}
