/**
 * Conditions the handshake decides: on Allow and Deny statements of key policies and IAM
 * policies, for the caller each finding is about. Each case is a workspace with the expected
 * handshake findings marked (`«check-id:` … `»`), plus the exact words where they matter.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { A, B, C, KEY, buildWorkspace, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from './workspaceFixture';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';
import { keyAccess } from '../../../server/src/core/features/keyAccess';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const ORG = 'o-a1b2c3d4e5';
const allow = (actions: string, resource: string, extra = '') => `{"Effect": "Allow", "Action": ${actions}, "Resource": ${resource}${extra}}`;

test('defect: an Allow whose aws:PrincipalArn condition excludes the role it names gives that role nothing, and its grant is not called missing', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'Etl')]: ['b/etl/*.json'], [role(B, 'Reporting')]: ['b/reporting/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Etl", "Effect": "Allow", "Principal": {"AWS": "${role(B, 'Etl')}"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Reporting')}"}}}`),
    '/ws/b/etl/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
    '/ws/b/reporting/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  // The related information and the principal's hover say why: the condition never holds for it.
  assert.equal(single(s.ws, '/ws/b/etl/kms.json', 'iam-grant-without-key-trust').related![0].message,
    `This statement's condition (ArnEquals aws:PrincipalArn ${role(B, 'Reporting')}) never holds for role/Etl`);
  const text = s.texts[K];
  const hover = handshakeHover(s.ws, K, text.indexOf(role(B, 'Etl')) + 5);
  assert.match(hover!.markdown, /Trusts `role\/Etl` of workloads \(444455556666\) for nothing: the statement's condition \(ArnEquals aws:PrincipalArn arn:aws:iam::444455556666:role\/Reporting\) never holds for it\./);
});

test('defect: a Deny decided by aws:PrincipalArn takes CreateGrant from that role on both sides', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": ["kms:CreateGrant", "kms:Decrypt"], "Resource": "*"}`,
      `{"Sid": "NoGrantsForEtl", "Effect": "Deny", "Principal": {"AWS": "${role(B, 'Etl')}"}, "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Etl')}"}}}`,
    ),
    '/ws/b/etl/kms.json': identityPolicy(allow(`[«iam-grant-exceeds-key-policy:"kms:CreateGrant"», "kms:Decrypt"]`, `"${KEY}"`)),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.match(f.message, /role\/Etl \(kms:Decrypt\)/);
  assert.doesNotMatch(f.message, /CreateGrant/);
  assert.equal(single(s.ws, '/ws/b/etl/kms.json', 'iam-grant-exceeds-key-policy').message,
    `kms:CreateGrant has no effect on the key: remove it, or allow it in the key policy. The key policy of ${KEY} (keys/key.json) allows role/Etl only kms:Decrypt. A Deny in the key policy removes it from role/Etl.`);
  // The hover names the Deny and the condition that decided it.
  const hover = handshakeHover(s.ws, K, s.texts[K].indexOf(`${B}:root`));
  assert.match(hover!.markdown, new RegExp(`No effect: kms:CreateGrant of role/Etl \\(removed by a Deny in the key policy \\(its condition: ArnEquals aws:PrincipalArn ${role(B, 'Etl').replace(/[/]/g, '\\/')}\\)\\)`));
});

test('a Deny whose condition names another role leaves this one alone; an undecidable one makes the match conditional', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'Etl')]: ['b/etl/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": ["kms:CreateGrant", "kms:Decrypt"], "Resource": "*"}`,
      `{"Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Other')}"}}}`,
      `{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotEquals": {"kms:EncryptionContext:team": "etl"}}}`,
    ),
    '/ws/b/etl/kms.json': identityPolicy(allow('["kms:CreateGrant", "kms:Decrypt"]', `"${KEY}"`)),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.deepEqual(f.related!.map((r) => r.message).sort(), [
    'Grant of role/Etl',
    'Grant of role/Etl (conditional: a Deny of the key policy (kms:EncryptionContext:team))',
  ]);
});

test('an Allow limited by aws:PrincipalArn to one role: that role matches, another role\'s grant has no effect', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(B, 'Other')]: ['b/other/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/App*"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/b/other/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
});

test('aws:PrincipalType and aws:SourceAccount are decided for roles: the statement shuts the role out, and the messages say so', () => {
  // A user the statement applies to has no grant; the role that has one is shut out by the condition.
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [`arn:aws:iam::${B}:user/bob`]: ['b/bob/*.json'] }),
    [K]: keyPolicy(`{"Sid": "UsersOnly", "Effect": "Allow", "Principal": {"AWS": «root-principal-without-grant:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "User"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
    '/ws/b/bob/s3.json': identityPolicy(allow('"s3:GetObject"', '"*"')),
  });
  const f = single(s.ws, K, 'root-principal-without-grant');
  // The role has a grant: the first sentence says it does not work and what to correct, not to grant it.
  assert.match(f.message, /^The account has an IAM grant on this key that does not work: correct this statement's condition, or remove the trust\. .* role\/App has a grant, but the statement's condition \(StringEquals aws:PrincipalType User\) never holds for it\.$/);
  // The add-grant fix is offered for the user only: a grant to the role would not work.
  assert.deepEqual(f.fixes!.map((x) => x.title).filter((t) => /role\/App/.test(t)), []);

  // When the condition shuts out every known principal of the account, there is nothing to grant: no finding on the key side.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "User"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "${B}"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
});

test('kms:CallerAccount and aws:PrincipalAccount on another account: nobody of B is trusted; IfExists and negated operators follow the absent-key rules', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    // The statement trusts C, whose IAM data the workspace does not have.
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «external-account-undescribed:"*"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "${C}"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
  // StringNotEqualsIfExists on a key a role's request always has: decided by its value.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": "${C}"}, "Null": {"aws:SourceArn": "true"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
});

test('kms:ViaService on the key policy: the role can use the key only through that service, in the finding, the related information, the hover and the code lens', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.match(f.message, /role\/App \(kms:Decrypt; only through s3\.us-west-2\.amazonaws\.com\)/);
  assert.equal(f.related![0].message, 'Grant of role/App (only through s3.us-west-2.amazonaws.com)');
  assert.deepEqual(codeLens(s.ws, K).map((l) => l.title), ['1 role in workloads uses this key (only through s3.us-west-2.amazonaws.com)']);
  assert.deepEqual(f.claims, [{ key: KEY, principal: role(B, 'App'), actions: ['kms:Decrypt'], can: true, via: ['s3.us-west-2.amazonaws.com'] }]);
  const hover = handshakeHover(s.ws, K, s.texts[K].indexOf(`${B}:root`));
  assert.match(hover!.markdown, /- `role\/App`: kms:Decrypt — b\/app\/kms\.json:\d+ \(only through s3\.us-west-2\.amazonaws\.com\)/);
  // The IAM side says the same on the key's ARN.
  const iam = s.texts['/ws/b/app/kms.json'];
  const iamHover = handshakeHover(s.ws, '/ws/b/app/kms.json', iam.indexOf(KEY) + 3);
  assert.match(iamHover!.markdown, /`role\/App` can use kms:Decrypt only through s3\.us-west-2\.amazonaws\.com — trusted by a statement at keys\/key\.json:\d+\./);
});

test('a key-policy Deny with StringNotEquals kms:ViaService leaves access only through the named service', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"kms:ViaService": ["rds.us-west-2.amazonaws.com", "ec2.us-west-2.amazonaws.com"]}, "Bool": {"aws:PrincipalIsAWSService": "false"}}}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
  assert.equal(single(s.ws, K, 'root-principal-broader-than-grants').related![0].message,
    'Grant of role/App (only through rds.us-west-2.amazonaws.com or ec2.us-west-2.amazonaws.com)');
});

test('kms:GrantIsForAWSResource: grant operations only through an AWS service, other actions never', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": ["kms:CreateGrant", "kms:Decrypt"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow(`["kms:CreateGrant", «iam-grant-exceeds-key-policy:"kms:Decrypt"»]`, `"${KEY}"`)),
  });
  assert.equal(single(s.ws, K, 'root-principal-broader-than-grants').related![0].message, 'Grant of role/App (only through an AWS service)');
});

test('an organization-wide key policy resolves to the member accounts the manifest names', () => {
  const org = { organization: { id: ORG, accounts: { [A]: `${ORG}/r-ab12/`, [B]: `${ORG}/r-ab12/ou-ab12-11111111/` } } };
  const orgStatement = `{"Sid": "Org", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${ORG}"}}}`;
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Outsider')]: ['c/outsider/*.json'] }, org),
    [K]: keyPolicy(orgStatement),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    // Account C is not in the organization: the statement never applies to it.
    '/ws/c/outsider/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
  assert.deepEqual(codeLens(s.ws, K).map((l) => l.title), ['1 role in workloads uses this key']);
  // Without the organization in the manifest the member accounts are not known: nothing is claimed about C.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Outsider')]: ['c/outsider/*.json'] }),
    [K]: keyPolicy(orgStatement),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/c/outsider/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
});

test('aws:PrincipalOrgPaths: ForAnyValue:StringLike on an OU takes the accounts under it only', () => {
  const org = { organization: { id: ORG, accounts: { [B]: `${ORG}/r-ab12/ou-ab12-11111111/`, [C]: `${ORG}/r-ab12/ou-ab12-22222222/` } } };
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'], [role(C, 'Etl')]: ['c/etl/*.json'] }, org),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "${ORG}/r-ab12/ou-ab12-11111111/*"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
    '/ws/c/etl/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
});

test('IAM-side conditions: a grant whose aws:PrincipalArn condition excludes its own role matches nothing', () => {
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-without-grant:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`, `, "Condition": {"ArnEquals": {"aws:PrincipalArn": "${role(B, 'Someone')}"}}`)),
  });
});

test('an IAM Deny with a decided condition removes the grant; with an undecided one the match stays, conditional', () => {
  const deny = (cond: string) => `{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*", "Condition": ${cond}}`;
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-without-grant:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), deny(`{"StringEquals": {"aws:PrincipalAccount": "${B}"}}`)),
  });
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`), deny('{"Bool": {"aws:MultiFactorAuthPresent": "false"}}')),
  });
  assert.match(single(s.ws, K, 'root-principal-broader-than-grants').related![0].message, /conditional: a Deny of the identity policy \(aws:MultiFactorAuthPresent\)/);
});

test('an IAM Deny with StringNotEquals kms:ViaService leaves the role the key only through the service it names', () => {
  // The service is named only by the identity policy's Deny: the handshake must try calls through it.
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(
      allow('"kms:Decrypt"', `"${KEY}"`),
      '{"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}',
    ),
  });
  const f = single(s.ws, K, 'root-principal-broader-than-grants');
  assert.equal(f.related![0].message, 'Grant of role/App (only through s3.us-west-2.amazonaws.com)');
  assert.deepEqual(f.claims, [{ key: KEY, principal: role(B, 'App'), actions: ['kms:Decrypt'], can: true, via: ['s3.us-west-2.amazonaws.com'] }]);
  // The IAM side's hover on the key's ARN: the role's own Deny leaves it the key only through S3.
  const iam = s.texts['/ws/b/app/kms.json'];
  const hover = handshakeHover(s.ws, '/ws/b/app/kms.json', iam.indexOf(KEY) + 3);
  assert.match(hover!.markdown, /`role\/App` can use kms:Decrypt only through s3\.us-west-2\.amazonaws\.com — trusted by a statement at keys\/key\.json:\d+\./);
});

test('the IAM-side hover says, action by action, which use the key directly, which only through a service and which only when conditions hold', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Direct", "Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "ThroughEc2", "Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Encrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "ec2.us-west-2.amazonaws.com"}}}`,
      `{"Sid": "Data", "Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:GenerateDataKey", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(
      allow('["kms:Decrypt", "kms:Encrypt"]', `"${KEY}"`),
      allow('"kms:GenerateDataKey"', `"${KEY}"`, ', "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}'),
    ),
  });
  const iam = s.texts['/ws/b/app/kms.json'];
  const hovers = [iam.indexOf(KEY) + 3, iam.lastIndexOf(KEY) + 3].map((at) => handshakeHover(s.ws, '/ws/b/app/kms.json', at)!.markdown);
  assert.match(hovers[0], /`role\/App` can use kms:Decrypt — trusted by "Direct" at keys\/key\.json:\d+\.\n  `role\/App` can use kms:Encrypt only through ec2\.us-west-2\.amazonaws\.com — trusted by "ThroughEc2" at keys\/key\.json:\d+\./);
  assert.match(hovers[1], /`role\/App` can use kms:GenerateDataKey \(when the conditions hold\) — trusted by "Data" at keys\/key\.json:\d+\./);
});

test('the IAM-side hover credits only the statements that allow the actions shown', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "Grants", "Effect": "Allow", "Principal": {"AWS": «root-principal-without-grant:"arn:aws:iam::${B}:root"»}, "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}`,
    ),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`)),
  });
  const text = s.texts['/ws/b/app/kms.json'];
  const hover = handshakeHover(s.ws, '/ws/b/app/kms.json', text.indexOf(KEY) + 3);
  assert.match(hover!.markdown, /can use kms:Decrypt — trusted by "Use" at keys\/key\.json:\d+\./);
  assert.doesNotMatch(hover!.markdown, /"Grants"/);
});

test('a grant whose own condition never holds: the IAM-side hover says the principal gets nothing from it, and key access lists it as without effect', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": «root-principal-without-grant:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `"${KEY}"`, `, "Condition": {"StringEquals": {"aws:ResourceAccount": "${B}"}}`)),
  });
  const iam = s.texts['/ws/b/app/kms.json'];
  const hover = handshakeHover(s.ws, '/ws/b/app/kms.json', iam.indexOf(KEY) + 3)!.markdown;
  assert.match(hover, new RegExp(`\`role/App\` gets nothing from kms:Decrypt here: this statement's own condition \\(StringEquals aws:ResourceAccount ${B}\\) never holds for it\\.`));
  assert.doesNotMatch(hover, /can use/);
  const entry = keyAccess(s.ws)[0].accounts.find((a) => a.account === B)!;
  assert.deepEqual(entry.principals, []);
  assert.deepEqual(entry.ineffective.map((i) => [i.principal, i.actions, i.reason]), [
    [undefined, ['kms:Decrypt'], 'no principal of the account has an IAM grant for them on this key'],
    ['role/App', ['kms:Decrypt'], `its own condition (StringEquals aws:ResourceAccount ${B}) never holds for this principal`],
  ]);
});

test('a StringLike account pattern in kms:CallerAccount is matched as a pattern: the account it fits is trusted, one it does not fit is not', () => {
  const files = (pattern: string, marks: { grant: string; key: string }) => ({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": ${marks.key}}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"kms:CallerAccount": "${pattern}"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', marks.grant)),
  });
  // 4444* fits 444455556666: App's grant works, and the key side sees its one user.
  expectWorkspace(files('4444*', { grant: `"${KEY}"`, key: `«root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»` }));
  // 7777* does not: the grant has no effect.
  expectWorkspace(files('7777*', { grant: `«iam-grant-without-key-trust:"${KEY}"»`, key: `"arn:aws:iam::${B}:root"` }));
  // With "*" as the principal, the pattern decides per caller too.
  expectWorkspace({ ...files('4444*', { grant: `"${KEY}"`, key: '"*"' }) });
});

test('NotPrincipal in a key policy: a Deny takes the actions from every principal it does not name; an Allow is not read as trusting nobody', () => {
  const grant = (marked: string) => identityPolicy(allow(marked, `"${KEY}"`));
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "OnlyOwners", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': grant('«iam-grant-exceeds-key-policy:"kms:Decrypt"»'),
  });
  // A NotPrincipal naming the caller's account or role is not decided: no finding says the grant has no effect.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(
      `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": «root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}`,
      `{"Sid": "OnlyApp", "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::${B}:root", "${role(B, 'App')}", "arn:aws:sts::${B}:assumed-role/App/s"]}, "Action": "kms:*", "Resource": "*"}`,
    ),
    '/ws/b/app/kms.json': grant('"kms:Decrypt"'),
  });
  // An Allow with NotPrincipal lets in everyone it does not name: App's grant is not called ineffective.
  expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "AllButOwners", "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`),
    '/ws/b/app/kms.json': grant('"kms:Decrypt"'),
  });
});

test('a key-policy statement applies to its key only where its Resource names the key: another key\'s ARN, or NotResource "*", allows and denies nothing here', () => {
  const OTHER = `arn:aws:kms:us-west-2:${A}:key/ffff0000-0000-0000-0000-000000000000`;
  const ws = (statements: string[], grantMark: string, keyMark = `"arn:aws:iam::${B}:root"`, resourceMark = `"${KEY}"`) => expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(...statements.map((st) => st.replace('KEYMARK', keyMark))),
    '/ws/b/app/kms.json': identityPolicy(allow(grantMark, resourceMark)),
  }, { only: ['iam-grant-without-key-trust', 'iam-grant-exceeds-key-policy', 'root-principal-broader-than-grants', 'root-principal-without-grant'] });
  const trust = (resource: string) => `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": KEYMARK}, "Action": "kms:Decrypt", "Resource": ${resource}}`;
  // The trust names another key: App's grant on this key has no effect.
  ws([trust(`"${OTHER}"`)], '"kms:Decrypt"', undefined, `«iam-grant-without-key-trust:"${KEY}"»`);
  // A Deny on another key, and a Deny with NotResource "*", take nothing from App here.
  const used = `«root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»`;
  ws([trust('"*"'), `{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "${OTHER}"}`], '"kms:Decrypt"', used);
  ws([trust('"*"'), `{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "NotResource": "*"}`], '"kms:Decrypt"', used);
  // A Deny with NotResource naming another key does take Decrypt from App on this one.
  ws([trust('"*"'), `{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "NotResource": "${OTHER}"}`], '«iam-grant-exceeds-key-policy:"kms:Decrypt"»');
});

test('a grant shut out by the key policy\'s condition is told so (not "trusts neither"); one removed by a key-policy Deny names the Deny', () => {
  const shut = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "User"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`)),
  });
  assert.equal(single(shut.ws, '/ws/b/app/kms.json', 'iam-grant-without-key-trust').message,
    `The key policy's condition never holds for role/App: correct it there, or remove this grant. The key policy of ${KEY} (keys/key.json) trusts account workloads (${B}) for kms:Decrypt only under a condition (StringEquals aws:PrincipalType User) that never holds for role/App: the grant has no effect.`);
  const text = keyPolicy(
    `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`,
    `{"Sid": "NoDecrypt", "Effect": "Deny", "Principal": {"AWS": "${B}"}, "Action": "kms:Decrypt", "Resource": "*"}`,
  );
  const denied = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: text.replace(`"arn:aws:iam::${B}:root"`, `«root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»`),
    '/ws/b/app/kms.json': identityPolicy(allow('[«iam-grant-exceeds-key-policy:"kms:Decrypt"», "kms:Encrypt"]', `"${KEY}"`)),
  });
  const f = single(denied.ws, '/ws/b/app/kms.json', 'iam-grant-exceeds-key-policy');
  assert.equal(f.message, `kms:Decrypt has no effect on the key: remove it, or allow it in the key policy. The key policy of ${KEY} (keys/key.json) allows role/App only kms:Encrypt. A Deny in the key policy removes it from role/App.`);
  assert.deepEqual(f.related!.map((r) => [r.span.offset, r.message]), [
    [text.indexOf('{"Sid": "NoDecrypt"'), 'Deny removing kms:Decrypt from role/App'],
    [text.indexOf('{"Sid": "Workloads"'), `Key policy statement trusting account workloads (${B})`],
  ]);
});

test('the key-side hover never says "no principal has an IAM grant" of an account whose grants a condition or a Deny shuts out', () => {
  const hoverOf = (statements: string[], grant = allow('"kms:Decrypt"', `"${KEY}"`)) => {
    const s = buildWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyPolicy(...statements),
      '/ws/b/app/kms.json': identityPolicy(grant),
    });
    return handshakeHover(s.ws, K, s.texts[K].indexOf(`${B}:root`))!.markdown;
  };
  const trust = (condition = '') => `{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"${condition}}`;
  // The condition holds for some callers of the account (users), not for App: App's grant is named.
  const byType = hoverOf([trust(', "Condition": {"StringEquals": {"aws:PrincipalType": "User"}}')]);
  assert.match(byType, /`role\/App` has a grant on this key, but the statement's condition never holds for it\./);
  assert.doesNotMatch(byType, /No principal of the account has an IAM grant/);
  // A Deny naming the account takes everything: the hover says the Deny is why.
  const denied = hoverOf([trust(), `{"Effect": "Deny", "Principal": {"AWS": "${B}"}, "Action": "kms:*", "Resource": "*"}`]);
  assert.match(denied, /Trusts account workloads \(444455556666\) for nothing: a Deny of the key policy removes kms:Decrypt from its principals\./);
  assert.doesNotMatch(denied, /No principal of the account has an IAM grant|no action that works across accounts/);
  // An organization the caller is not in: nothing through the statement, and no claim about grants.
  const org = hoverOf([trust(', "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}}')]);
  assert.doesNotMatch(org, /No principal of the account has an IAM grant/);
  // Without any grant, it is said.
  assert.match(hoverOf([trust()], allow('"s3:GetObject"', '"*"')), /No principal of the account has an IAM grant on this key for these actions\./);
});

test('a key trusted only through one service and a grant only through another: the grant is told no request meets both', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(`{"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": «root-principal-without-grant:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}`),
    '/ws/b/app/kms.json': identityPolicy(allow('"kms:Decrypt"', `«iam-grant-without-key-trust:"${KEY}"»`, ', "Condition": {"StringEquals": {"kms:ViaService": "ec2.us-west-2.amazonaws.com"}}')),
  });
  const f = single(s.ws, '/ws/b/app/kms.json', 'iam-grant-without-key-trust');
  assert.equal(f.message, `The key policy and this grant never hold in the same request for role/App: make them agree, or remove this grant. The key policy of ${KEY} (keys/key.json) trusts account workloads (${B}) for kms:Decrypt only through s3.us-west-2.amazonaws.com, and this grant allows it only through ec2.us-west-2.amazonaws.com: no request meets both, so the grant has no effect.`);
  assert.deepEqual(f.related!.map((r) => r.message), ['This statement allows kms:Decrypt only through s3.us-west-2.amazonaws.com']);
});
