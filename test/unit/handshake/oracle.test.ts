/**
 * The handshake against an independent policy evaluator (`@cloud-copilot/iam-simulate`, the
 * oracle; AGPL, tests only). Seeded workspaces (oracleWorkspaces.ts) are checked by the
 * product; every described principal of the external accounts is asked of the oracle, and
 * the two are compared in both directions. Seed and run count come from
 * POLICY_HANDSHAKE_FUZZ_SEED / POLICY_HANDSHAKE_FUZZ_RUNS (`npm run fuzz` runs many more).
 *
 * What "the oracle allows" means: X calls the action on the key in a request context AWS
 * would build (oracleEvaluator.ts: aws:PrincipalArn, aws:PrincipalAccount,
 * kms:CallerAccount, aws:PrincipalType, aws:PrincipalOrgID/OrgPaths for members of the
 * manifest's organization), in one of the contexts that matter: a direct call; a call
 * through each kms:ViaService value the workspace names, and through one it does not name
 * (OTHER_SERVICE); for CreateGrant/ListGrants/RevokeGrant, kms:GrantIsForAWSResource false
 * (direct) and true (through a service); when the workspace names the encryption context
 * pair `project`, with each value it names; and, when the policies read the organization
 * keys and the manifest's organization does not list X's account, with that account in no
 * organization, in one the policies name, or in one they do not name (the workspace does
 * not say which, so the product cannot know either). Cross-account: the key policy and X's
 * identity policies must both allow, and a Deny in either wins (the oracle applies this). "Allowed" below is the oracle's answer after the
 * known differences (KNOWN_DIFFERENCES).
 *
 * (a) What a finding claims (`Finding.claims`), for each described principal it covers
 *     (`arn:aws:iam::B:root` covers every described principal of B) and each action:
 *     - can=true, unconditional, no `via`: allowed in the direct call (in every organization
 *       world, as the product cannot know which one holds);
 *     - can=true with `via`, unconditional: allowed through each listed service (an entry
 *       with a wildcard, such as `*` for "through AWS services", through each service context
 *       that fits it);
 *     - can=true, conditional: allowed in at least one context (through a listed service, if any);
 *     - can=false: allowed in no context.
 * (b) What the product must report (design doc, "The handshake analysis"):
 *     B1. A key-policy Allow statement S trusting account B as a whole (its root ARN, the bare
 *         id, or `*` with an account, organization or aws:PrincipalArn condition under a
 *         positive String/Arn operator, without IfExists or ForAllValues), B
 *         described, where S (with the key policy's Deny statements) allows some principal of
 *         B some cross-account action when the identity side allows everything (otherwise S
 *         does not open the key to B and nothing is required here). With S and the Denies as
 *         the key policy and each principal's own identity policies:
 *         - no principal of B allowed anything: `root-principal-without-grant` on S for B;
 *         - some allowed: `root-principal-broader-than-grants` on S for B, whose can=true
 *           claims name exactly those principals;
 *         - when S has a positive aws:PrincipalArn condition, the trust is already narrowed (the
 *           broader finding is not offered): with no principal allowed, one of
 *           `root-principal-without-grant` / `external-principal-without-grant` on S for B.
 *     B2. A key-policy Allow statement S naming a described role or user X of another
 *         account, where S (with the Denies) allows X something with the identity side
 *         allowing everything, but nothing with X's identity policies:
 *         `external-principal-without-grant` on S for X.
 *     B3. An identity Allow statement T of X naming the key (its ARN, or a wildcard ARN of
 *         the key's account: `*` names every key of every account and is left to the key
 *         side), for each action T (with X's Deny statements) allows when the key side allows
 *         everything, but which the real key policy never lets X use: a finding of
 *         `iam-grant-without-key-trust` or `iam-grant-exceeds-key-policy` on T with a
 *         can=false claim for X (or B's root) covering that action. For T with NotAction,
 *         only when every such action is denied and the key policy's Allow statements (its
 *         Denies left out) trust X for none of T's actions (X's Denies left out too), not
 *         even for one KMS ignores across accounts: the exceeds check reads listed actions only, and
 *         iam-grant-without-key-trust speaks of trust (design doc), not of its effect.
 *     B4. No `external-principal-without-grant` on a statement S for a described X that S
 *         (with the Denies) never lets use any cross-account action, whatever X's identity
 *         policies say: S does not apply to X, so "X has no IAM grant" is beside the point
 *         (issue 14, defect 1). The same for `root-principal-without-grant` and
 *         `root-principal-broader-than-grants` on S for B, with S alone (a Deny of the described
 *         principals leaves a root trust open to the account's others), when S has no
 *         aws:PrincipalArn condition (with one, S may be for principals the workspace does not
 *         describe).
 * A disagreement fails the test with a shrunk reproduction: the workspace's files, the
 * principal, the action, the context, what the product said and what the oracle said (with
 * each side evaluated alone, the other replaced by an allow-everything policy).
 *
 * Left out of the generator (and why): NotResource in identity policies (the oracle needs a
 * resource type to expand it and the design reads it like Resource); NotPrincipal (only
 * allow-with-not-principal is about it); `kms:EncryptionContextKeys` and other multivalued
 * KMS keys (the oracle cannot carry encryption context under its own name, see
 * EC_STAND_IN); Numeric/Date/IP operators and policy variables (not among the keys the
 * handshake decides); service principals (aws:SourceAccount/aws:SourceArn are generated,
 * and are absent from every request of a role or user, which is what the test asks about);
 * keys without a manifest ARN (CloudFormation keys: claims then name a key pattern); more
 * than one key policy (a second key of A appears in identity policies only, so grants of
 * other keys are generated, but only one key is asked about); an Allow to `*` without an
 * account, organization or aws:PrincipalArn condition (public-key-policy's, not the
 * handshake's); assumed-role session ARNs and federated users as principals; KMS grants
 * (CreateGrant's results are invisible to policies); aws:PrincipalIsAWSService and
 * aws:CalledVia (not among the keys the handshake decides).
 * Principals the workspace does not describe (role/Ghost) are named in key policies, but
 * claims about them are not checked: there is nothing to evaluate them against. Claims
 * about actions beyond ORACLE_ACTIONS are checked on their stand-in (STAND_INS).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AccessClaim, Finding } from '../../../server/src/core/findings';
import { CROSS_ACCOUNT_ACTIONS } from '../../../server/src/core/model/kmsActions';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { fuzzRuns, fuzzSeed } from '../robustness/mutations';
import {
  FOREIGN_ORGS, OTHER_SERVICE, Oracle, identityAlone, keyAlone, requestSpecs, specLabel, type PolicySet, type RequestSpec,
} from './oracleEvaluator';
import {
  EC_KEY, EC_VALUES, GRANT_OPERATIONS, STAND_INS, KEY, KEY_POLICY_PATH, ORACLE_ACTIONS, OWN_STATEMENT, Rng, VIA_SERVICES,
  accountOf, generateWorkspace, renderWorkspace, rootArn,
  type GeneratedWorkspace, type Json, type PolicyStatement, type Principal, type RenderedWorkspace,
} from './oracleWorkspaces';

/**
 * Where the oracle is known to differ from AWS, the product's answer wins. Each entry says
 * why, with the documentation that says so.
 */
export const KNOWN_DIFFERENCES = [
  {
    id: 'key-management-across-accounts',
    applies: (action: string) => !CROSS_ACCOUNT_ACTIONS.has(action.slice('kms:'.length).toLowerCase()),
    reason: 'The oracle does not apply KMS\'s rule that only the cryptographic and grant operations (and DescribeKey, GetKeyRotationStatus, GetPublicKey) work across accounts: '
      + 'key management (PutKeyPolicy, ScheduleKeyDeletion, …) allowed to another account has no effect. For these actions the answer is "denied" whatever the oracle says.',
    doc: 'AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key" (key-policy-modifying-external-accounts), and the "Cross-account use" column of "AWS KMS permissions" (kms-api-permissions-reference); docs/kms-iam-facts.md, "Cross-account access".',
  },
];

const HANDSHAKE_CHECKS = [
  'root-principal-without-grant', 'external-account-undescribed', 'root-principal-broader-than-grants',
  'external-principal-without-grant', 'cross-account-action-ineffective', 'iam-grant-without-key-trust', 'iam-grant-exceeds-key-policy',
];
const CROSS_ACTIONS = ORACLE_ACTIONS.filter((a) => !KNOWN_DIFFERENCES[0].applies(a));

export interface Disagreement {
  /** The rule of the header that failed, e.g. `a:can=false` or `B1:without-grant`. */
  rule: string;
  checkId: string;
  file: string;
  principal: string;
  action?: string;
  spec?: RequestSpec;
  product: string;
  oracle: string;
}

interface Stats { claims: number; unchecked: number; explained: number; required: number }

/** KMS actions the generated wildcards reach that take no key resource. */
const NO_KEY_ACTIONS = ['kms:DescribeCustomKeyStores', 'kms:ListRetirableGrants', 'kms:GenerateRandom'];

/** Whether a statement's Action/NotAction covers an action (case-insensitive, `*` and `?` wildcards). */
function statementCovers(s: PolicyStatement, action: string): boolean {
  const list = (v: Json | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  const matches = (patterns: string[]) => patterns.some((p) => wildcardMatch(p.toLowerCase(), action.toLowerCase()));
  return s.Action !== undefined ? matches(list(s.Action)) : !matches(list(s.NotAction));
}

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

class Comparison {
  readonly oracle: Oracle;
  readonly rendered: RenderedWorkspace;
  readonly findings = new Map<string, Finding[]>();
  readonly disagreements: Disagreement[] = [];
  readonly stats: Stats = { claims: 0, unchecked: 0, explained: 0, required: 0 };
  private readonly vias: string[];
  private readonly contexts: (string | undefined)[];
  private readonly readsOrganization: boolean;
  private readonly keyDenies: PolicyStatement[];

  constructor(readonly w: GeneratedWorkspace) {
    this.oracle = new Oracle(w);
    this.rendered = renderWorkspace(w);
    const ws = new Workspace();
    ws.updateFiles(Object.entries(this.rendered.files).map(([path, text]) => ({ path, text })));
    // The manifest's `organization` may be unknown to the manifest check: its findings are not compared.
    for (const path of Object.keys(this.rendered.files)) this.findings.set(path, ws.findings(path).filter((f) => HANDSHAKE_CHECKS.includes(f.checkId)));
    const all = Object.values(this.rendered.files).join('\n');
    this.vias = VIA_SERVICES.filter((v) => all.includes(v));
    this.contexts = all.includes(EC_KEY) ? [undefined, ...EC_VALUES] : [undefined];
    this.readsOrganization = /aws:PrincipalOrg(ID|Paths)/i.test(all);
    this.keyDenies = w.keyStatements.filter((s) => s.Effect === 'Deny');
  }

  /** The contexts of an action for a principal; the first ones (one per organization world) are the direct call. */
  specs(action: string, p: Principal): RequestSpec[] {
    const member = !!this.w.organization?.accounts[p.account];
    return requestSpecs(action, this.vias, this.contexts, member || !this.readsOrganization ? [undefined] : FOREIGN_ORGS);
  }

  /** The direct call in each organization world. */
  directSpecs(action: string, p: Principal): RequestSpec[] {
    return this.specs(action, p).filter((s) => !s.via && s.encryptionContext === undefined);
  }

  full(p: Principal): PolicySet {
    return { keyId: 'full', key: [OWN_STATEMENT, ...this.w.keyStatements], identityId: `policies of ${p.arn}`, identity: p.policies };
  }

  /** The oracle's answer after the known differences. */
  async allowed(set: PolicySet, p: Principal, action: string, spec: RequestSpec): Promise<boolean> {
    if (KNOWN_DIFFERENCES[0].applies(action)) return false;
    // No Allow statement that covers the action on one side (the own-account statement never
    // names an external principal): denied without asking.
    const covers = (list: PolicyStatement[]) => list.some((s) => s !== OWN_STATEMENT && s.Effect === 'Allow' && statementCovers(s, action));
    if (!covers(set.key) || !covers(set.identity.flat())) return false;
    return this.oracle.allows(set, p, action, spec);
  }

  async allowedSomewhere(set: PolicySet, p: Principal, actions: string[]): Promise<boolean> {
    for (const a of actions) for (const s of this.specs(a, p)) if (await this.allowed(set, p, a, s)) return true;
    return false;
  }

  /** Both sides, and each alone, for a reproduction. */
  async explain(p: Principal, action: string, spec: RequestSpec, set?: PolicySet): Promise<string> {
    const base = set ?? this.full(p);
    const both = await this.oracle.ask(base, p, action, spec);
    const keySide = await this.oracle.ask(keyAlone(base), p, action, spec);
    const iamSide = await this.oracle.ask(identityAlone(base), p, action, spec);
    const known = KNOWN_DIFFERENCES.filter((k) => k.applies(action)).map((k) => ` (known difference ${k.id}: counted as denied)`).join('');
    return `${both}${known}; key policy alone: ${keySide}; identity policies alone: ${iamSide}`;
  }

  /** Compares all (or, when shrinking a case, only the part of a rule: `a`, `B1`/`B2`, `B3`, `B4`). */
  async run(part?: string): Promise<this> {
    if (!part || part === 'a') await this.checkClaims();
    if (!part || part === 'B1' || part === 'B2') await this.checkKeyStatements();
    if (!part || part === 'B4') await this.checkTrustFindings();
    if (!part || part === 'B3') await this.checkIdentityGrants();
    return this;
  }

  // ---- (a) claims ----

  /**
   * The kms:ViaService values of a claim's `via`; an entry with a wildcard (`*`: through any
   * service, as for kms:GrantIsForAWSResource) stands for every service context that fits it.
   */
  private claimVias(c: AccessClaim): string[] | undefined {
    if (!c.via?.length) return undefined;
    return [...new Set(c.via.flatMap((v) => (/[*?]/.test(v) ? [OTHER_SERVICE, ...this.vias].filter((x) => wildcardMatch(v, x)) : [v])))];
  }

  private async checkClaims(): Promise<void> {
    for (const [file, findings] of this.findings) {
      for (const f of findings) {
        for (const c of f.claims ?? []) {
          this.stats.claims++;
          if (c.key !== KEY && !wildcardMatch(c.key, KEY)) { this.stats.unchecked++; continue; }
          const targets = c.principal.endsWith(':root')
            ? this.w.principals.filter((p) => p.account === accountOf(c.principal))
            : this.w.principals.filter((p) => p.arn === c.principal);
          if (targets.length === 0) { this.stats.unchecked++; continue; }
          // Each action once, through its stand-in (ORACLE_ACTIONS); actions KMS never allows across accounts need no question for can=false.
          const actions = [...new Set(c.actions.map((a) => STAND_INS[a] ?? a))];
          for (const p of targets) for (const action of actions) await this.checkClaim(file, f, c, p, action);
        }
      }
    }
  }

  private async checkClaim(file: string, f: Finding, c: AccessClaim, p: Principal, action: string): Promise<void> {
    const known = KNOWN_DIFFERENCES[0].applies(action);
    const d = (rule: string, spec: RequestSpec | undefined, oracle: string) => this.disagreements.push({
      rule, checkId: f.checkId, file, principal: p.arn, action, spec, product: `${f.checkId}: ${f.message}\nclaim: ${JSON.stringify(c)}`, oracle,
    });
    if (!c.can) {
      if (known) { this.stats.explained++; return; }
      // A claim about the finding's statement: that statement and the key policy's Denies are the key policy asked about.
      const set = c.statement ? this.statementSet(file, f, p) : this.full(p);
      for (const spec of this.specs(action, p)) {
        if (await this.allowed(set, p, action, spec)) { d('a:can=false', spec, await this.explain(p, action, spec, set)); return; }
      }
      return;
    }
    const grant = GRANT_OPERATIONS.has(action);
    if (c.conditional) {
      const vias = this.claimVias(c);
      const specs = this.specs(action, p).filter((s) => !vias || (s.via !== undefined && vias.includes(s.via)));
      for (const spec of specs) if (await this.allowed(this.full(p), p, action, spec)) return;
      d('a:can=true conditional', undefined, `denied in every context (${specs.map(specLabel).join('; ')}); ${specLabel(specs[0] ?? {})}: ${await this.explain(p, action, specs[0] ?? {})}`);
    } else {
      // Unconditional: in the direct call, or through each listed service; whatever organization an unlisted account is in.
      const vias = this.claimVias(c);
      const specs = vias
        ? vias.flatMap((via) => this.directSpecs(action, p).map((s) => ({ ...s, via, ...(grant ? { grantIsForAwsResource: true } : {}) })))
        : this.directSpecs(action, p);
      for (const spec of specs) {
        if (!(await this.allowed(this.full(p), p, action, spec))) { d(c.via?.length ? 'a:can=true via' : 'a:can=true', spec, await this.explain(p, action, spec)); return; }
      }
    }
  }

  /** The key policy cut down to the statement a finding is on, with its Deny statements (`AccessClaim.statement`). */
  private statementSet(file: string, f: Finding, p: Principal): PolicySet {
    const full = this.full(p);
    if (file === KEY_POLICY_PATH) {
      const index = this.rendered.keyPolicy.statements.findIndex((r) => f.span.offset >= r.offset && f.span.offset < r.end) - 1;
      const s = this.w.keyStatements[index];
      if (!s) throw new Error(`a statement claim outside every key-policy statement: ${f.checkId} at ${f.span.offset}`);
      return { ...full, keyId: `statement ${index + 1}`, key: [s, ...this.keyDenies] };
    }
    // An IAM statement's claim: that statement and the principal's Deny statements are its identity policies.
    const id = this.rendered.identity.get(file);
    const index = id ? id.policy.statements.findIndex((r) => f.span.offset >= r.offset && f.span.offset < r.end) : -1;
    const t = id && index >= 0 ? id.principal.policies[id.index][index] : undefined;
    if (!t) throw new Error(`a statement claim outside every statement of ${file}: ${f.checkId} at ${f.span.offset}`);
    const denies = p.policies.flat().filter((s) => s.Effect === 'Deny');
    return { ...full, identityId: `${file} statement ${index + 1}`, identity: [[t, ...denies]] };
  }

  // ---- (b) what must be reported ----

  /** Findings of a file inside a statement's text range. */
  private findingsIn(file: string, range: { offset: number; end: number }, ids: string[]): Finding[] {
    return (this.findings.get(file) ?? []).filter((f) => ids.includes(f.checkId) && f.span.offset >= range.offset && f.span.offset < range.end);
  }

  private async checkKeyStatements(): Promise<void> {
    const described = new Set(this.w.principals.map((p) => p.arn));
    for (let i = 0; i < this.w.keyStatements.length; i++) {
      const s = this.w.keyStatements[i];
      if (s.Effect !== 'Allow') continue;
      const range = this.rendered.keyPolicy.statements[i + 1];
      const entries = principalEntries(s);
      // Keys under a positive operator (no negation, IfExists or ForAllValues): those restrict who the statement is for.
      const positiveKeys = Object.entries((s.Condition ?? {}) as Record<string, Record<string, Json>>)
        .filter(([op]) => /^(ForAnyValue:)?(String|Arn)(Equals|Like)(IgnoreCase)?$/.test(op))
        .flatMap(([, o]) => Object.keys(o).map((k) => k.toLowerCase()));
      const narrowed = positiveKeys.includes('aws:principalarn');
      // `*` limited to an organization opens the key to the member accounts on purpose (an
      // organization-wide key): the root-principal checks are about trusts of accounts, and are not
      // asked of it (the design's trust forms: the root ARN, the bare id, `*` with an account condition).
      const restricted = positiveKeys.some((k) => ['aws:principalaccount', 'kms:calleraccount', 'aws:principalarn'].includes(k));
      const accounts = new Set<string>();
      for (const e of entries) {
        if (e === '*') { if (restricted) for (const a of this.w.external) accounts.add(a); continue; }
        const account = /^\d{12}$/.test(e) ? e : e === rootArn(accountOf(e)) ? accountOf(e) : undefined;
        if (account && this.w.external.includes(account)) accounts.add(account);
      }
      const keyOnly: PolicyStatement[] = [s, ...this.keyDenies];
      // Only S allows in these questions: actions it does not cover are denied without asking.
      const asked = CROSS_ACTIONS.filter((a) => statementCovers(s, a));
      for (const account of accounts) {
        const principals = this.w.principals.filter((p) => p.account === account);
        if (principals.length === 0) continue;
        const keySide = (p: Principal): PolicySet => keyAlone({ keyId: `statement ${i + 1}`, key: keyOnly, identityId: `policies of ${p.arn}`, identity: p.policies });
        let opens = false;
        for (const p of principals) if (await this.allowedSomewhere(keySide(p), p, asked)) { opens = true; break; }
        if (!opens) continue;
        this.stats.required++;
        const allowed: string[] = [];
        for (const p of principals) if (await this.allowedSomewhere({ keyId: `statement ${i + 1}`, key: keyOnly, identityId: `policies of ${p.arn}`, identity: p.policies }, p, asked)) allowed.push(p.arn);
        const here = this.findingsIn(KEY_POLICY_PATH, range, HANDSHAKE_CHECKS).filter((f) => claimAccounts(f).includes(account));
        const ids = here.map((f) => f.checkId);
        const said = here.length ? here.map((f) => `${f.checkId}: ${f.message}\nclaims: ${JSON.stringify(f.claims)}`).join('\n') : 'no finding on the statement for this account';
        const fail = (rule: string, expected: string) => this.disagreements.push({
          rule, checkId: expected, file: KEY_POLICY_PATH, principal: rootArn(account), product: said,
          oracle: `statement ${i + 1} opens the key to ${account}; with each principal's identity policies it allows ${allowed.length ? allowed.join(', ') : 'no principal'} (actions asked: ${CROSS_ACTIONS.join(', ')})`,
        });
        if (allowed.length === 0) {
          const ok = narrowed ? ['root-principal-without-grant', 'external-principal-without-grant'] : ['root-principal-without-grant'];
          if (!ids.some((id) => ok.includes(id))) fail('B1:nobody-allowed', ok.join(' or '));
        } else if (!narrowed) {
          const broader = here.filter((f) => f.checkId === 'root-principal-broader-than-grants');
          if (broader.length === 0) { fail('B1:some-allowed', 'root-principal-broader-than-grants'); continue; }
          const named = [...new Set(broader.flatMap((f) => (f.claims ?? []).filter((c) => c.can).map((c) => c.principal)))].sort();
          if (JSON.stringify(named) !== JSON.stringify([...allowed].sort())) fail('B1:broader-names', 'root-principal-broader-than-grants');
        }
      }
      // B2: a named role or user of another account.
      for (const e of entries) {
        if (!described.has(e)) continue;
        const p = this.w.principals.find((x) => x.arn === e)!;
        const set: PolicySet = { keyId: `statement ${i + 1}`, key: keyOnly, identityId: `policies of ${p.arn}`, identity: p.policies };
        if (!(await this.allowedSomewhere(keyAlone(set), p, asked))) continue;
        this.stats.required++;
        if (await this.allowedSomewhere(set, p, asked)) continue;
        const here = this.findingsIn(KEY_POLICY_PATH, range, ['external-principal-without-grant']).filter((f) => (f.claims ?? []).some((c) => c.principal === p.arn));
        if (here.length === 0) {
          this.disagreements.push({
            rule: 'B2:named-principal-without-grant', checkId: 'external-principal-without-grant', file: KEY_POLICY_PATH, principal: p.arn,
            product: this.findingsIn(KEY_POLICY_PATH, range, HANDSHAKE_CHECKS).map((f) => `${f.checkId}: ${f.message}`).join('\n') || 'no finding on the statement',
            oracle: `statement ${i + 1} allows ${p.arn} when the identity side allows everything, but nothing with its identity policies`,
          });
        }
      }
    }
  }

  /** B4: no finding about a trust that does not open the key to those it names. */
  private async checkTrustFindings(): Promise<void> {
    const ids = ['root-principal-without-grant', 'root-principal-broader-than-grants', 'external-principal-without-grant'];
    for (const f of this.findings.get(KEY_POLICY_PATH) ?? []) {
      if (!ids.includes(f.checkId)) continue;
      const index = this.rendered.keyPolicy.statements.findIndex((r) => f.span.offset >= r.offset && f.span.offset < r.end) - 1;
      const s = this.w.keyStatements[index];
      if (!s || s.Effect !== 'Allow') continue;
      const principalArnCondition = /aws:PrincipalArn/i.test(JSON.stringify(s.Condition ?? {}));
      let targets: Principal[];
      if (f.checkId === 'external-principal-without-grant') {
        targets = this.w.principals.filter((p) => (f.claims ?? []).some((c) => c.principal === p.arn));
      } else {
        // An aws:PrincipalArn condition may open the statement to principals the workspace does not describe.
        if (principalArnCondition) continue;
        targets = this.w.principals.filter((p) => claimAccounts(f).includes(p.account));
      }
      if (targets.length === 0) continue;
      this.stats.required++;
      // A root trust is for the whole account: a Deny of the described principals leaves it open to the others.
      const keySide = f.checkId === 'external-principal-without-grant' ? [s, ...this.keyDenies] : [s];
      const keyId = f.checkId === 'external-principal-without-grant' ? `statement ${index + 1}` : `statement ${index + 1} without the Denies`;
      const asked = CROSS_ACTIONS.filter((a) => statementCovers(s, a));
      let opens = false;
      for (const p of targets) {
        if (await this.allowedSomewhere(keyAlone({ keyId, key: keySide, identityId: `policies of ${p.arn}`, identity: p.policies }), p, asked)) { opens = true; break; }
      }
      if (!opens) {
        this.disagreements.push({
          rule: 'B4:trust-that-does-not-open', checkId: f.checkId, file: KEY_POLICY_PATH, principal: targets.map((p) => p.arn).join(', '),
          product: `${f.checkId}: ${f.message}\nclaims: ${JSON.stringify(f.claims)}`,
          oracle: `statement ${index + 1}${f.checkId === 'external-principal-without-grant' ? ' (with the key policy\'s Deny statements)' : ''} allows none of ${targets.map((p) => p.arn).join(', ')} any of ${asked.join(', ') || 'its actions'} in any context, whatever their identity policies say: the finding is about a trust that does not apply to them`,
        });
      }
    }
  }

  private async checkIdentityGrants(): Promise<void> {
    for (const [file, { principal: p, policy }] of this.rendered.identity) {
      const statements = p.policies[this.rendered.identity.get(file)!.index];
      const denies = p.policies.flat().filter((s) => s.Effect === 'Deny');
      for (let j = 0; j < statements.length; j++) {
        const t = statements[j];
        if (t.Effect !== 'Allow' || !namesKeyOfItsAccount(t.Resource)) continue;
        const grant: PolicySet = { keyId: 'full', key: [OWN_STATEMENT, ...this.w.keyStatements], identityId: `statement ${j + 1} of ${file} with the Denies`, identity: [[t, ...denies]] };
        const iamSide = identityAlone(grant);
        const granted: string[] = [];
        // Only T allows in these questions: actions it does not cover are denied without asking.
        for (const a of ORACLE_ACTIONS.filter((x) => statementCovers(t, x))) {
          // The identity side alone, as the oracle sees it (key management included: the product must say those do nothing).
          for (const s of this.specs(a, p)) if ((await this.oracle.ask(iamSide, p, a, s)) === 'Allowed') { granted.push(a); break; }
        }
        const denied: string[] = [];
        for (const a of granted) if (!(await this.allowedSomewhere(grant, p, [a]))) denied.push(a);
        if (denied.length === 0) continue;
        if (t.NotAction !== undefined) {
          if (denied.length < granted.length) continue;
          // Nothing works, but the key policy's Allow statements do trust X for some of it (a Deny takes it away, or
          // KMS ignores the action across accounts): the without-key-trust check speaks of trust, and the exceeds
          // check of listed actions, so neither is required. The oracle's own answer, before the known differences.
          const trustOnly: PolicySet = { keyId: 'the Allow statements', key: [OWN_STATEMENT, ...this.w.keyStatements.filter((x) => x.Effect === 'Allow')], identityId: `statement ${j + 1} of ${file} alone`, identity: [[t]] };
          let trusted = false;
          for (const a of ORACLE_ACTIONS.filter((x) => statementCovers(t, x))) {
            for (const sp of this.specs(a, p)) if (!trusted && await this.oracle.allows(trustOnly, p, a, sp)) trusted = true;
          }
          // The wildcards also reach KMS actions without a key resource (the oracle cannot ask them on a key):
          // trust for those is read from the Action patterns of Allow statements naming X, its account or `*`.
          trusted ||= NO_KEY_ACTIONS.some((a) => statementCovers(t, a) && this.w.keyStatements.some((k) => k.Effect === 'Allow' && statementCovers(k, a)
            && principalEntries(k).some((e) => e === '*' || e === p.arn || e === p.account || e === rootArn(p.account))));
          if (trusted) continue;
        }
        this.stats.required++;
        const here = this.findingsIn(file, policy.statements[j], ['iam-grant-without-key-trust', 'iam-grant-exceeds-key-policy']);
        const covered = (a: string) => here.some((f) => (f.claims ?? []).some((c) => !c.can && (c.principal === p.arn || c.principal === rootArn(p.account))
          && (c.key === KEY || wildcardMatch(c.key, KEY)) && c.actions.some((x) => x.toLowerCase() === a.toLowerCase())));
        const missing = denied.filter((a) => !covered(a));
        if (missing.length) {
          this.disagreements.push({
            rule: 'B3:grant-without-effect', checkId: 'iam-grant-without-key-trust or iam-grant-exceeds-key-policy', file, principal: p.arn, action: missing.join(', '),
            product: here.length ? here.map((f) => `${f.checkId}: ${f.message}\nclaims: ${JSON.stringify(f.claims)}`).join('\n') : 'no finding on the statement',
            oracle: `statement ${j + 1} of ${file} grants ${granted.join(', ')} on its own, but the key policy lets ${p.arn} use none of ${missing.join(', ')} in any context; ${missing[0]}, direct call: ${await this.explain(p, missing[0], this.specs(missing[0], p)[0], grant)}`,
          });
        }
      }
    }
  }
}

function principalEntries(s: PolicyStatement): string[] {
  const pr = s.Principal;
  if (pr === '*') return ['*'];
  const aws = (pr as Record<string, Json> | undefined)?.AWS;
  return (Array.isArray(aws) ? aws : [aws]).filter((v): v is string => typeof v === 'string');
}

/** The accounts a finding's claims are about. */
function claimAccounts(f: Finding): string[] {
  return [...new Set((f.claims ?? []).map((c) => accountOf(c.principal)))];
}

/** A Resource naming the key by ARN, or by a wildcard over keys of the key's account. */
function namesKeyOfItsAccount(resource: Json | undefined): boolean {
  const list = Array.isArray(resource) ? resource : [resource];
  return list.some((r) => typeof r === 'string' && r !== '*' && r.split(':')[4] === KEY.split(':')[4] && wildcardMatch(r, KEY));
}

// ---- Shrinking a failing workspace ----

const clone = (w: GeneratedWorkspace): GeneratedWorkspace => JSON.parse(JSON.stringify(w)) as GeneratedWorkspace;

/** Workspaces one step smaller: a statement, file, principal or condition removed, an array cut to one entry. */
function* smaller(w: GeneratedWorkspace): Generator<GeneratedWorkspace> {
  for (let i = 0; i < w.principals.length; i++) { const c = clone(w); c.principals.splice(i, 1); yield c; }
  for (let i = 0; i < w.keyStatements.length; i++) { const c = clone(w); c.keyStatements.splice(i, 1); yield c; }
  for (let i = 0; i < w.principals.length; i++) {
    for (let f = 0; f < w.principals[i].policies.length; f++) {
      if (w.principals[i].policies.length > 1) { const c = clone(w); c.principals[i].policies.splice(f, 1); yield c; }
      for (let j = 0; j < w.principals[i].policies[f].length; j++) {
        if (w.principals[i].policies[f].length > 1) { const c = clone(w); c.principals[i].policies[f].splice(j, 1); yield c; }
      }
    }
  }
  if (w.organization && !/aws:PrincipalOrg(ID|Paths)/.test(JSON.stringify(w))) { const c = clone(w); delete c.organization; yield c; }
  if (w.external.length > 1 && !w.principals.some((p) => p.account === w.external[1]) && !JSON.stringify(w.keyStatements).includes(w.external[1])) {
    const c = clone(w); c.external = [w.external[0]]; yield c;
  }
  const statements = (x: GeneratedWorkspace) => [...x.keyStatements, ...x.principals.flatMap((p) => p.policies.flat())];
  const n = statements(w).length;
  for (let k = 0; k < n; k++) {
    const s = statements(w)[k];
    for (const op of Object.keys((s.Condition ?? {}) as object)) {
      for (const key of Object.keys((s.Condition as Record<string, Record<string, Json>>)[op])) {
        const c = clone(w);
        const t = statements(c)[k];
        const cond = t.Condition as Record<string, Record<string, Json>>;
        delete cond[op][key];
        if (Object.keys(cond[op]).length === 0) delete cond[op];
        if (Object.keys(cond).length === 0) delete t.Condition;
        yield c;
      }
    }
    for (const el of ['Action', 'NotAction']) {
      const v = s[el];
      if (Array.isArray(v) && v.length > 1) for (const item of v) { const c = clone(w); statements(c)[k][el] = item; yield c; }
    }
    const aws = (s.Principal as Record<string, Json> | undefined)?.AWS;
    if (Array.isArray(aws) && aws.length > 1) for (const item of aws) { const c = clone(w); (statements(c)[k].Principal as Record<string, Json>).AWS = item; yield c; }
  }
}

const MAX_SHRINK_STEPS = 120;

async function shrink(w: GeneratedWorkspace, d: Disagreement): Promise<{ w: GeneratedWorkspace; d: Disagreement }> {
  let best = { w, d };
  let steps = 0;
  let progress = true;
  while (progress && steps < MAX_SHRINK_STEPS) {
    progress = false;
    for (const candidate of smaller(best.w)) {
      if (++steps > MAX_SHRINK_STEPS) break;
      const found = (await new Comparison(candidate).run(d.rule.split(':')[0])).disagreements.find((x) => x.rule === d.rule && x.checkId === d.checkId);
      if (found) { best = { w: candidate, d: found }; progress = true; break; }
    }
  }
  return best;
}

function reproduction(w: GeneratedWorkspace, d: Disagreement, seed: string): string {
  const files = renderWorkspace(w).files;
  return [
    `--- ${d.rule} (${d.checkId}); first seen in workspace ${seed}`,
    ...Object.entries(files).map(([path, text]) => `${path}:\n${text.trimEnd()}`),
    `principal: ${d.principal}`,
    ...(d.action ? [`action: ${d.action}`] : []),
    ...(d.spec ? [`context: ${specLabel(d.spec)}`] : []),
    `product (${d.file}): ${d.product}`,
    `oracle: ${d.oracle}`,
  ].join('\n');
}

/** The conditions a shrunk case still holds (to tell apart the causes within one class). */
function conditionSignature(w: GeneratedWorkspace): string {
  const statements = [...w.keyStatements, ...w.principals.flatMap((p) => p.policies.flat())];
  const keys = new Set<string>();
  for (const s of statements) {
    for (const [op, o] of Object.entries((s.Condition ?? {}) as Record<string, Record<string, Json>>)) for (const k of Object.keys(o)) keys.add(`${s.Effect} ${op} ${k}`);
  }
  return [...keys].sort().join(', ') || 'no condition';
}

/** Cases shrunk per class of disagreement (each from another workspace); more show more of the causes. */
const EXAMPLES_PER_CLASS = Number(process.env.POLICY_HANDSHAKE_ORACLE_EXAMPLES) || 1;

/** The same workspaces without any Condition element. */
function withoutConditions(w: GeneratedWorkspace): GeneratedWorkspace {
  const c = clone(w);
  for (const s of [...c.keyStatements, ...c.principals.flatMap((p) => p.policies.flat())]) delete s.Condition;
  return c;
}

test('the handshake agrees with the oracle on generated two- and three-account workspaces', async () => {
  await agreement(fuzzRuns(200, 0.2), (w) => w);
});

test('without conditions, the same workspaces agree (the comparison itself is sound where the product decides everything)', async () => {
  await agreement(fuzzRuns(60, 0.05), withoutConditions);
});

async function agreement(runs: number, shape: (w: GeneratedWorkspace) => GeneratedWorkspace): Promise<void> {
  const seed = fuzzSeed();
  const byClass = new Map<string, { cases: { w: GeneratedWorkspace; d: Disagreement; seed: string }[]; count: number }>();
  const total: Stats = { claims: 0, unchecked: 0, explained: 0, required: 0 };
  let questions = 0;
  const started = Date.now();
  for (let i = 0; i < runs; i++) {
    const w = shape(generateWorkspace(new Rng(seed + i)));
    const c = await new Comparison(w).run();
    questions += c.oracle.questions;
    for (const k of Object.keys(total) as (keyof Stats)[]) total[k] += c.stats[k];
    for (const d of c.disagreements) {
      const cls = `${d.rule} | ${d.checkId}`;
      const entry = byClass.get(cls) ?? { cases: [], count: 0 };
      byClass.set(cls, entry);
      entry.count++;
      if (entry.cases.length < EXAMPLES_PER_CLASS && entry.cases[entry.cases.length - 1]?.w !== w) entry.cases.push({ w, d, seed: `seed ${seed} + ${i}` });
    }
  }
  // The workspaces exercised both directions.
  assert.ok(total.claims > runs, `claims checked: ${total.claims}`);
  assert.ok(total.required > runs / 4, `required findings checked: ${total.required}`);
  const elapsed = Date.now() - started;
  const reports: string[] = [];
  for (const [cls, entry] of byClass) {
    const shown = new Set<string>();
    const examples: string[] = [];
    for (const c of entry.cases) {
      const small = await shrink(c.w, c.d);
      const signature = conditionSignature(small.w);
      if (shown.has(signature)) continue;
      shown.add(signature);
      examples.push(`conditions: ${signature}\n${reproduction(small.w, small.d, c.seed)}`);
    }
    reports.push(`${cls}: ${entry.count} disagreement(s)\n${examples.join('\n\n')}`);
  }
  console.log(`oracle: ${runs} workspaces (seed ${seed}), ${total.claims} claims (${total.unchecked} about principals or keys the workspace does not describe), `
    + `${total.required} required findings, ${questions} oracle questions in ${Math.round(elapsed / 1000)} s; ${total.explained} answers settled by known differences: ${KNOWN_DIFFERENCES.map((k) => `${k.id} (${k.doc})`).join('; ')}`);
  assert.deepEqual(reports, [], `${reports.length} class(es) of disagreement with the oracle:\n\n${reports.join('\n\n')}`);
}

test('claims are judged as the rules say (direct, via, conditional, cannot), on a key usable only through S3', async () => {
  const app: Principal = {
    arn: 'arn:aws:iam::444455556666:role/App', account: '444455556666', kind: 'role',
    policies: [[{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }]],
  };
  const w: GeneratedWorkspace = {
    external: ['444455556666'],
    principals: [app],
    keyStatements: [{ Effect: 'Allow', Principal: { AWS: rootArn('444455556666') }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } } }],
  };
  const judge = async (claim: Omit<AccessClaim, 'key'>, workspace = w) => {
    const c = new Comparison(workspace);
    c.findings.set(KEY_POLICY_PATH, [{ checkId: 'root-principal-broader-than-grants', severity: 'info', message: 'm', span: { offset: 0, length: 0 }, claims: [{ key: KEY, ...claim }] }]);
    return (await c.run('a')).disagreements.map((d) => d.rule);
  };
  const decrypt = { principal: app.arn, actions: ['kms:Decrypt'] };
  assert.deepEqual(await judge({ ...decrypt, can: true, via: ['s3.us-west-2.amazonaws.com'] }), []);
  assert.deepEqual(await judge({ ...decrypt, can: true, via: ['*'] }), ['a:can=true via']);
  assert.deepEqual(await judge({ ...decrypt, can: true, conditional: true }), []);
  assert.deepEqual(await judge({ ...decrypt, can: true, conditional: true, via: ['ec2.us-west-2.amazonaws.com'] }), ['a:can=true conditional']);
  assert.deepEqual(await judge({ ...decrypt, can: true }), ['a:can=true']);
  assert.deepEqual(await judge({ ...decrypt, can: false }), ['a:can=false']);
  assert.deepEqual(await judge({ principal: rootArn('444455556666'), actions: ['kms:Encrypt', 'kms:PutKeyPolicy'], can: false }), []);
  // Key management never works across accounts (KNOWN_DIFFERENCES), though the oracle allows it here.
  const everything: GeneratedWorkspace = {
    ...w,
    principals: [{ ...app, policies: [[{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]] }],
    keyStatements: [{ Effect: 'Allow', Principal: { AWS: rootArn('444455556666') }, Action: 'kms:*', Resource: '*' }],
  };
  assert.deepEqual(await judge({ principal: app.arn, actions: ['kms:PutKeyPolicy'], can: false }, everything), []);
  assert.deepEqual(await judge({ principal: app.arn, actions: ['kms:PutKeyPolicy'], can: true, conditional: true }, everything), ['a:can=true conditional']);
  assert.deepEqual(await judge({ principal: app.arn, actions: ['kms:Decrypt', 'kms:CreateGrant'], can: true }, everything), []);
});
