/**
 * cfn-lint's IAM rule unit tests (policy documents, action strings, Version values and
 * statements given to each rule, with the errors it must report), compared per policy.
 * Action strings, Version values and statements are put into a minimal identity policy;
 * an error message says which kind of problem the rule found (`E3510:type`, …).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PolicyKind } from '../../../server/src/core/model/policyDocument';
import { corpusPath } from '../../support/corpus';
import type { ConformanceCase, Expected } from '../types';
import type { SuiteCases } from './suiteCases';

interface ValidationError { message: string; rule_id: string }
interface Param { name?: string; instance?: unknown; path?: { cfn_path?: string[] }; expected?: { ValidationError?: ValidationError }[] }
interface Step { input_policy?: unknown; assert?: string; args?: unknown[] }
interface UnitFile { parametrized_cases: Param[]; testcase_methods: { test: string; steps: Step[] }[] }

/** The rule and policy kind of each file of policy-document tests. */
const DOCUMENT_TESTS: Record<string, { rule: string; kind: PolicyKind }> = {
  'test_identity_policy.json': { rule: 'E3510', kind: 'iam-identity-policy' },
  'test_resource_policy.json': { rule: 'E3512', kind: 'unknown' },
  'test_resource_ecr_policy.json': { rule: 'E3512', kind: 'unknown' },
  'test_trust_policy.json': { rule: 'E3530', kind: 'iam-trust-policy' },
};

/**
 * Templates whose upstream test states the matches of a mapped rule: W2511 (one, v0) and W3037
 * (three, v0: two unknown services and one unknown action, `kafk:*` and `sns:SendMessage` in
 * ManagedPolicy, `cldoufront:…` in ManagedPolicy3, each compared in its resource: two unknown
 * services are two expectations, not one); the good templates none of W2511.
 */
const TEMPLATE_TESTS: { file: string; expected: (string | Expected)[]; asserted: string[] }[] = [
  { file: 'bad/resources/iam/policy_version.yaml', expected: ['W2511'], asserted: ['W2511'] },
  { file: 'bad/resources/iam/managed_policy_permissions.yaml', expected: [{ type: 'W3037:service', resource: 'ManagedPolicy' }, { type: 'W3037:action', resource: 'ManagedPolicy' }, { type: 'W3037:service', resource: 'ManagedPolicy3' }], asserted: ['W3037:action', 'W3037:service', 'W3037:empty'] },
  { file: 'good/resources/iam/policy.yaml', expected: [], asserted: ['W2511'] },
  { file: 'good/resources/iam/resource_policy_v0-2024-02.yaml', expected: [], asserted: ['W2511'] },
];

const NOT_RUN: Record<string, string> = {
  'test_resource_policy_resource_arn.json': 'E3514: resource-ARN rules of S3/SQS resource policies, which the product does not read',
  'test_role_arn_pattern.json': 'E3511: a role ARN in a resource property, not in a policy',
  'test_iam_permissions_sam.json': 'SAM policy templates are not read',
};

/** The kind of problem a cfn-lint message reports, for rules that report several. */
export function classify(rule: string, message: string): string {
  if (/Only one of \['Principal', 'NotPrincipal'\]/.test(message) || (/'Principal' is a required property/.test(message))) return `${rule}:principal-required`;
  if (/Only one of \['Action', 'NotAction'\]/.test(message)) return `${rule}:action-or-notaction`;
  if (/is a required property/.test(message)) return `${rule}:required`;
  if (/is not one of \['2008-10-17', '2012-10-17'\]/.test(message)) return `${rule}:version`;
  if (/is not one of \['Allow', 'Deny'\]/.test(message)) return `${rule}:effect`;
  if (/is not of type/.test(message)) return `${rule}:type`;
  if (/does not match '\^\[A-Za-z0-9\]\+\$'/.test(message)) return `${rule}:sid-pattern`;
  if (/array items are not unique for keys \['Sid'\]/.test(message)) return `${rule}:unique-sid`;
  if (/^'[^']*' does not match/.test(message) && rule === 'E3510') return `${rule}:condition-operator`;
  if (/is not valid under any of the given schemas/.test(message)) return `${rule}:principal-format`;
  return `${rule}:${message}`;
}

const wrap = (statement: Record<string, unknown>, version: unknown = '2012-10-17') => JSON.stringify({ Version: version, Statement: [statement] }, null, 2);

export function cfnLintCases(): SuiteCases {
  const dir = corpusPath('linter-fixtures', 'cfn-lint', 'unit-test-cases');
  const out: SuiteCases = { cases: [], skipped: [] };
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as UnitFile;
  const add = (file: string, caseName: string, text: string, kind: PolicyKind, expected: Expected[], asserted: string[]) => {
    out.cases.push({ suite: 'cfn-lint', name: `cfn-lint/unit-test-cases/${file}#${caseName}`, file: `${caseName}.json`, text, binding: { kind }, granularity: 'file', expected, asserted } satisfies ConformanceCase);
  };
  const names = new Map<string, number>();
  const unique = (file: string, n: string) => {
    const key = `${file}#${n}`;
    const i = (names.get(key) ?? 0) + 1;
    names.set(key, i);
    return i === 1 ? n : `${n} (${i})`;
  };

  // Version values (W2511).
  for (const p of read('test_iam_policy_version.json').parametrized_cases) {
    const name = unique('test_iam_policy_version.json', p.name ?? 'case');
    if (typeof p.instance !== 'string') { out.skipped.push({ name: `cfn-lint/unit-test-cases/test_iam_policy_version.json#${name}`, reason: 'not a Version value' }); continue; }
    const expected = (p.expected ?? []).flatMap((e) => (e.ValidationError ? [{ type: e.ValidationError.rule_id }] : []));
    add('test_iam_policy_version.json', name, wrap({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, p.instance), 'iam-identity-policy', expected, ['W2511']);
  }

  // Action strings (W3037). Their service catalogue is a mock; ours is the real one.
  const permissionTypes = ['W3037:action', 'W3037:service', 'W3037:empty', 'W3037:service-for-resource-policy'];
  for (const p of read('test_iam_permissions.json').parametrized_cases) {
    const name = unique('test_iam_permissions.json', p.name ?? 'case');
    const resourceType = p.path?.cfn_path?.[1];
    const expected = (p.expected ?? []).flatMap((e) => (e.ValidationError ? [{ type: permissionType(p.instance, e.ValidationError.message, resourceType) }] : []));
    add('test_iam_permissions.json', name, wrap({ Effect: 'Allow', Action: p.instance, Resource: '*' }), 'iam-identity-policy', expected, resourceType?.startsWith('AWS::IAM::') ? permissionTypes : []);
  }

  // Statements whose resources must fit the actions (I3510).
  for (const p of read('test_statement_resources.json').parametrized_cases) {
    const name = unique('test_statement_resources.json', statementName(p.instance));
    if (!p.instance || typeof p.instance !== 'object' || Array.isArray(p.instance)) { out.skipped.push({ name: `cfn-lint/unit-test-cases/test_statement_resources.json#${name}`, reason: 'not a statement' }); continue; }
    const expected = (p.expected ?? []).flatMap((e) => (e.ValidationError ? [{ type: e.ValidationError.rule_id }] : []));
    add('test_statement_resources.json', name, wrap({ Effect: 'Allow', ...(p.instance as Record<string, unknown>) }), 'iam-identity-policy', expected, ['I3510']);
  }

  // Whole policy documents (E3510, E3512, E3530).
  for (const [file, { rule, kind }] of Object.entries(DOCUMENT_TESTS)) {
    for (const m of read(file).testcase_methods) {
      const input = m.steps.find((s) => s.input_policy !== undefined)?.input_policy as Record<string, unknown> | undefined;
      const name = `cfn-lint/unit-test-cases/${file}#${m.test}`;
      if (!input) { out.skipped.push({ name, reason: 'no policy input' }); continue; }
      const policy = (input['<json-string>'] as Record<string, unknown> | undefined) ?? input;
      const messages = assertedMessages(m.steps);
      if (messages === 'ambiguous') { out.skipped.push({ name, reason: 'upstream asserts different results for the same policy under different settings' }); continue; }
      if (messages === 'none') { out.skipped.push({ name, reason: 'no assertion on the errors reported' }); continue; }
      const types = Object.keys(VOCABULARY_PREFIXES).filter((t) => t.startsWith(`${rule}:`)).concat(rule === 'E3530' ? ['E3530:principal-required', 'E3530:principal-format'] : []);
      add(file, m.test, JSON.stringify(policy, null, 2), kind, messages.map((msg) => ({ type: classify(rule, msg) })), types);
    }
  }
  for (const [file, reason] of Object.entries(NOT_RUN)) out.skipped.push({ name: `cfn-lint/unit-test-cases/${file}`, reason });

  // YAML templates whose upstream test states the matches of one mapped rule (EXPECTED.md).
  const templates = corpusPath('linter-fixtures', 'cfn-lint', 'templates');
  for (const t of TEMPLATE_TESTS) {
    const text = fs.readFileSync(path.join(templates, t.file), 'utf8');
    const expected = t.expected.map((e) => (typeof e === 'string' ? { type: e } : e));
    const granularity = expected.some((e) => e.resource !== undefined) ? 'resource' : 'file';
    out.cases.push({ suite: 'cfn-lint', name: `cfn-lint/templates/${t.file}`, file: path.basename(t.file), text, granularity, expected, asserted: t.asserted } satisfies ConformanceCase);
  }
  out.skipped.push({ name: 'cfn-lint/templates/**/* (other)', reason: 'their upstream tests state counts of v0 rule E2507, which checks several things at once, or of rules with no counterpart (E3032, E3050, W3005), or no count at all' });
  out.skipped.push({ name: 'cfn-lint/templates/quickstart/iam.json', reason: 'no findings stated upstream (parser test)' });
  return out;
}

/** Kinds of E3510/E3512 errors the document tests can assert. */
const VOCABULARY_PREFIXES: Record<string, true> = Object.fromEntries(
  ['required', 'version', 'effect', 'action-or-notaction', 'type', 'sid-pattern', 'unique-sid', 'condition-operator', 'principal-required']
    .flatMap((k) => [`E3510:${k}`, `E3512:${k}`]).map((k) => [k, true]),
);

function permissionType(instance: unknown, message: string, resourceType: string | undefined): string {
  if (/is not a valid action/.test(message)) return 'W3037:empty';
  if (resourceType && !resourceType.startsWith('AWS::IAM::')) return 'W3037:service-for-resource-policy';
  const value = String(Array.isArray(instance) ? instance[0] : instance).toLowerCase();
  const named = /^'([^']*)'/.exec(message)?.[1] ?? '';
  return value.startsWith(`${named}:`) ? 'W3037:service' : 'W3037:action';
}

function statementName(instance: unknown): string {
  if (!instance || typeof instance !== 'object' || Array.isArray(instance)) return JSON.stringify(instance);
  const s = instance as { Action?: unknown; Resource?: unknown };
  return `${JSON.stringify(s.Action)} on ${JSON.stringify(s.Resource)}`.slice(0, 160);
}

/**
 * The error messages a test method asserts: from `errs[i].message` equalities, message
 * prefixes, lists of ValidationErrors, and "some message mentions X" checks.
 */
function assertedMessages(steps: Step[]): string[] | 'ambiguous' | 'none' {
  const lists: string[][] = [];
  const messages: string[] = [];
  let asserted = false;
  for (const s of steps) {
    const args = s.args ?? [];
    if (s.assert === 'assertListEqual' && typeof args[0] === 'object' && (args[0] as { '<name>'?: string })['<name>'] === 'errs') {
      lists.push((args[1] as { ValidationError?: ValidationError }[]).flatMap((e) => (e.ValidationError ? [e.ValidationError.message] : [])));
    } else if (s.assert === 'assertEqual' && typeof args[0] === 'string' && /^errs\[\d+\]\.message$/.test(args[0])) {
      messages.push(String(args[1]));
    } else if (s.assert === 'assertEqual' && args[0] === 'len(errs)') {
      asserted = true;
    } else if (s.assert === 'assertTrue' && typeof args[0] === 'string') {
      const prefix = /startswith\("(.*)"\)/.exec(args[0])?.[1];
      const mention = /any\(\('(.*)' in m for m in err_messages\)\)/.exec(args[0])?.[1];
      if (prefix) messages.push(prefix);
      else if (mention === 'Principal') messages.push("'Principal' is a required property");
      else if (mention) messages.push(mention);
    }
  }
  if (lists.length > 1 && new Set(lists.map((l) => JSON.stringify(l))).size > 1) return 'ambiguous';
  if (lists.length) return [...lists[0], ...messages];
  if (messages.length || asserted) return messages;
  return 'none';
}
