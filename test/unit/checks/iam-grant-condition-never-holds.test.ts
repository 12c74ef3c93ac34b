/**
 * `iam-grant-condition-never-holds`: an identity policy's Allow of KMS actions whose own
 * condition never holds for the principals it is attached to.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, C, KEY, applyFix, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from '../handshake/workspaceFixture';

const ID = 'iam-grant-condition-never-holds';
const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const P = '/ws/b/app/kms.json';
const TRUSTS_B = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`;
const files = (principals: Record<string, string[]>, ...grants: string[]) => ({
  [M]: manifest(principals),
  [K]: keyPolicy(TRUSTS_B),
  [P]: identityPolicy(...grants),
});
const app = { [role(B, 'App')]: ['b/app/*.json'] };
const grant = (condition: string, resource = `"${KEY}"`, action = '"kms:Decrypt"') =>
  `{"Effect": "Allow", "Action": ${action}, "Resource": ${resource}, "Condition": ${condition}}`;

test('iam-grant-condition-never-holds: kms:CallerAccount naming the key\'s account instead of the caller\'s; message', () => {
  const s = expectWorkspace(files(app, grant(`{"StringEquals": {«${ID}:"kms:CallerAccount"»: "${A}"}}`, `"${KEY}"`, '["kms:Decrypt", "kms:Encrypt"]')), { only: [ID] });
  const f = single(s.ws, P, ID);
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'This condition never holds for role/App: correct StringEquals kms:CallerAccount or remove it. '
    + `In the requests of role/App, kms:CallerAccount is ${B}. The statement never allows kms:Decrypt, kms:Encrypt to it: the grant has no effect.`);
});

test('iam-grant-condition-never-holds: aws:ResourceAccount limited to the own account, on another account\'s key', () => {
  const s = expectWorkspace(files(app, grant(`{"StringEquals": {«${ID}:"aws:ResourceAccount"»: "${B}"}}`)), { only: [ID] });
  assert.match(single(s.ws, P, ID).message, new RegExp(`In the requests of role/App, aws:ResourceAccount is ${A} \\(the account of the keys the statement names\\)\\.`));
  // The keys' account is not known for "*" or keys of several accounts: not decided.
  expectWorkspace(files(app,
    grant(`{"StringEquals": {"aws:ResourceAccount": "${B}"}}`, '"*"'),
    grant(`{"StringEquals": {"aws:ResourceAccount": "${B}"}}`, `["${KEY}", "arn:aws:kms:us-west-2:${C}:key/x"]`),
    grant(`{"StringEquals": {"aws:ResourceAccount": "${A}"}}`)), { only: [ID] });
});

test('iam-grant-condition-never-holds: aws:SourceAccount, absent from a role\'s own requests; the caller\'s own ARN and type', () => {
  expectWorkspace(files(app,
    grant(`{"StringEquals": {«${ID}:"aws:SourceAccount"»: "${B}"}}`),
    grant(`{"ArnEquals": {«${ID}:"aws:PrincipalArn"»: "${role(B, 'Other')}"}}`),
    grant(`{"StringEquals": {«${ID}:"aws:PrincipalType"»: "User"}}`),
    grant(`{"ArnEquals": {"aws:PrincipalArn": "${role(B, 'App')}"}, "StringEquals": {"aws:PrincipalType": "AssumedRole"}}`)), { only: [ID] });
});

test('iam-grant-condition-never-holds: not when one principal, one request context or an undecided key keeps it alive', () => {
  expectWorkspace(files({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Other')]: ['b/app/*.json'] },
    grant(`{"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Other')}"}}`),
    // Through S3 the statement holds, even on the key's own account.
    grant(`{"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com", "aws:ResourceAccount": "${A}"}}`),
    grant(`{"StringEqualsIfExists": {"aws:SourceAccount": "${B}"}}`),
    grant(`{"StringEquals": {"aws:PrincipalTag/team": "a", "kms:CallerAccount": "${B}"}}`),
    // A Deny that never applies is not a grant.
    `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "${KEY}", "Condition": {"StringEquals": {"kms:CallerAccount": "${A}"}}}`), { only: [ID] });
});

test('iam-grant-condition-never-holds: entries false in different contexts: reported on the Condition', () => {
  // Direct calls fail the ViaService entry, calls through S3 fail the Null test: together, never.
  expectWorkspace(files(app, grant(`{"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}, "Null": {"kms:ViaService": "true"}}`)
    .replace('"Condition"', `«${ID}:"Condition"»`)), { only: [ID] });
});

test('iam-grant-condition-never-holds: a policy whose principal is not known is judged for its account', () => {
  const s = expectWorkspace({
    [M]: JSON.stringify({ accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } }, keys: [{ policy: 'keys/key.json', arn: KEY }], templates: [{ files: 'b/app/*.json', account: B }] }),
    [K]: keyPolicy(TRUSTS_B),
    [P]: identityPolicy(grant(`{"StringEquals": {«${ID}:"aws:PrincipalAccount"»: "${C}"}}`), grant(`{"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Other')}"}}`)),
  }, { only: [ID] });
  assert.match(single(s.ws, P, ID).message, /^This condition never holds for any principal of its account: correct StringEquals aws:PrincipalAccount or remove it\. In the requests of the principals of workloads \(444455556666\), aws:PrincipalAccount is 444455556666\./);
});

test('root-principal-without-grant names the grant whose own condition never holds, and links it', () => {
  const s = expectWorkspace(files(app, grant(`{"StringEquals": {«${ID}:"kms:CallerAccount"»: "${A}"}}`)), { only: [ID] });
  const f = single(s.ws, K, 'root-principal-without-grant');
  assert.match(f.message, new RegExp(`role/App has a grant whose own condition never holds for it \\(StringEquals kms:CallerAccount ${A}\\)\\.`));
  const r = f.related!.find((x) => x.file === P)!;
  assert.equal(s.texts[P].slice(r.span.offset, r.span.offset + r.span.length), '"Condition"');
  assert.equal(r.message, `Grant of role/App: its condition (StringEquals kms:CallerAccount ${A}) never holds for it`);
});

test('iam-grant-condition-never-holds: the fix writes the principals\' own account into kms:CallerAccount, and the grant then works', () => {
  const s = expectWorkspace(files(app, grant(`{"StringEquals": {«${ID}:"kms:CallerAccount"»: "${A}"}}`)), { only: [ID] });
  const f = single(s.ws, P, ID);
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['caller-account', `Change to ${B} (the account of this policy's principals)`]]);
  applyFix(s.ws, P, f.fixes![0]);
  assert.ok(s.ws.text(P)!.includes(`"kms:CallerAccount": "${B}"`));
  assert.deepEqual(s.ws.findings(P).filter((x) => x.checkId === ID), []);
  assert.deepEqual(s.ws.findings(K).filter((x) => x.checkId === 'root-principal-without-grant'), []);
  // Other keys, operators or several values: no fix.
  const other = expectWorkspace(files(app, grant(`{"StringEquals": {«${ID}:"aws:ResourceAccount"»: "${B}"}}`)), { only: [ID] });
  assert.equal(single(other.ws, P, ID).fixes, undefined);
});
