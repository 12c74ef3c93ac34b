/**
 * The condition evaluator on its own: one condition, one caller, every request context, with
 * the expected answer written by hand from the IAM operator rules (IAM User Guide,
 * "Condition operators" and "Single-valued vs. multivalued condition keys").
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJson } from '../../../server/src/core/json/jsonDocument';
import { conditionNodeOutcome, requestContexts, viaServiceEntries, type Caller, type Tri } from '../../../server/src/core/handshake/callerConditions';
import { statementsOf } from '../../../server/src/core/model/policyDocument';
import { makeDocument } from '../../../server/src/core/sources/discoveredFile';

const B = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const APP = `arn:aws:iam::${B}:role/App`;
const organization = { id: ORG, accounts: new Map([[B, `${ORG}/r-ab12/ou-ab12-11111111/`]]) };
const app: Caller = { account: B, arn: APP, organization };
const unknownRole: Caller = { account: B, organization };
const outsider: Caller = { account: '777788889999', arn: 'arn:aws:iam::777788889999:user/Eve', organization };

/** Contexts: direct, through s3, any other service. */
const CONTEXTS = { via: [undefined, 's3.us-west-2.amazonaws.com', '\u0001other'], labels: ['direct calls', 's3.us-west-2.amazonaws.com', 'an AWS service'] };
const T: Tri = 1, F: Tri = 0, U: Tri = 2;

function holds(condition: string, caller: Caller = app, grantOperation = false): Tri[] {
  const json = parseJson(condition);
  return conditionNodeOutcome(json.root, caller, CONTEXTS, grantOperation, undefined).holds;
}

const cases: [string, string, Caller, Tri[]][] = [
  // aws:PrincipalArn: ARN operators match part by part, case-sensitively.
  ['ArnEquals on the role', `{"ArnEquals": {"aws:PrincipalArn": "${APP}"}}`, app, [T, T, T]],
  ['ArnEquals on another role', `{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/Other"}}`, app, [F, F, F]],
  ['ArnLike with a wildcard in the resource part', `{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/A*"}}`, app, [T, T, T]],
  ['ArnLike: a wildcard never crosses a colon', `{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}}`, app, [F, F, F]],
  ['StringLike: a wildcard crosses colons', `{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*"}}`, app, [T, T, T]],
  ['StringEquals is case-sensitive', `{"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/app"}}`, app, [F, F, F]],
  ['StringEqualsIgnoreCase', `{"StringEqualsIgnoreCase": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/app"}}`, app, [T, T, T]],
  ['ArnNotEquals on another role', `{"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/Other"}}`, app, [T, T, T]],
  ['several values are ORed', `{"ArnEquals": {"aws:PrincipalArn": ["arn:aws:iam::${B}:role/Other", "${APP}"]}}`, app, [T, T, T]],
  ['negated with several values: none may match', `{"StringNotEquals": {"aws:PrincipalArn": ["arn:aws:iam::${B}:role/Other", "${APP}"]}}`, app, [F, F, F]],
  ['the ARN of a role that is not known', `{"ArnEquals": {"aws:PrincipalArn": "${APP}"}}`, unknownRole, [U, U, U]],
  ['a policy variable is not followed', `{"StringEquals": {"aws:PrincipalArn": "\${aws:PrincipalArn}"}}`, app, [U, U, U]],
  // Account keys.
  ['kms:CallerAccount', `{"StringEquals": {"kms:CallerAccount": "${B}"}}`, app, [T, T, T]],
  ['aws:PrincipalAccount of another account', `{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}`, app, [F, F, F]],
  ['a number value names the account', `{"StringEquals": {"kms:CallerAccount": ${B}}}`, app, [T, T, T]],
  ['entries are ANDed', `{"StringEquals": {"kms:CallerAccount": "${B}"}, "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::${B}:role/Other"}}`, app, [F, F, F]],
  ['an undecidable entry ANDed with a true one', `{"StringEquals": {"kms:CallerAccount": "${B}", "kms:EncryptionContext:team": "x"}}`, app, [U, U, U]],
  ['an undecidable entry ANDed with a false one', `{"StringEquals": {"kms:CallerAccount": "111122223333", "kms:EncryptionContext:team": "x"}}`, app, [F, F, F]],
  // aws:PrincipalType.
  ['a role calls as AssumedRole', `{"StringEquals": {"aws:PrincipalType": "AssumedRole"}}`, app, [T, T, T]],
  ['a user calls as User', `{"StringEquals": {"aws:PrincipalType": "AssumedRole"}}`, outsider, [F, F, F]],
  // Organization keys.
  ['aws:PrincipalOrgID of a member', `{"StringEquals": {"aws:PrincipalOrgID": "${ORG}"}}`, app, [T, T, T]],
  ['aws:PrincipalOrgID of an account outside the organization', `{"StringEquals": {"aws:PrincipalOrgID": "${ORG}"}}`, outsider, [F, F, F]],
  ['another organization: an outsider may belong to it', `{"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}}`, outsider, [U, U, U]],
  ['another organization: a member does not', `{"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}}`, app, [F, F, F]],
  ['IfExists: outside the organization the key may be absent (no organization) or another one', `{"StringEqualsIfExists": {"aws:PrincipalOrgID": "${ORG}"}}`, outsider, [U, U, U]],
  ['Null: outside the organization the key may or may not be there', `{"Null": {"aws:PrincipalOrgID": "true"}}`, outsider, [U, U, U]],
  ['StringNotEquals our organization, outside it', `{"StringNotEquals": {"aws:PrincipalOrgID": "${ORG}"}}`, outsider, [T, T, T]],
  ['ForAnyValue:StringLike on an OU path', `{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "${ORG}/r-ab12/ou-ab12-11111111/*"}}`, app, [T, T, T]],
  ['ForAnyValue:StringLike on another OU', `{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "${ORG}/r-ab12/ou-ab12-22222222/*"}}`, app, [F, F, F]],
  // Request keys: kms:ViaService is absent on direct calls.
  ['StringEquals kms:ViaService', `{"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}`, app, [F, T, F]],
  ['StringLike kms:ViaService on any service', `{"StringLike": {"kms:ViaService": "*"}}`, app, [F, T, T]],
  ['StringNotEquals kms:ViaService: direct calls pass', `{"StringNotEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}`, app, [T, F, T]],
  ['StringEqualsIfExists: an absent key passes', `{"StringEqualsIfExists": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}`, app, [T, T, F]],
  ['Null true: the key is absent', `{"Null": {"kms:ViaService": "true"}}`, app, [T, F, F]],
  ['Null false: the key is present', `{"Null": {"kms:ViaService": "false"}}`, app, [F, T, T]],
  ['ForAllValues on an absent key passes', `{"ForAllValues:StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}`, app, [T, T, F]],
  ['ForAnyValue on an absent key fails', `{"ForAnyValue:StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}`, app, [F, T, F]],
  // Keys a role's request never has.
  ['aws:SourceAccount is absent for a role', `{"StringEquals": {"aws:SourceAccount": "${B}"}}`, app, [F, F, F]],
  ['aws:SourceArn with IfExists', `{"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:s3:::*"}}`, app, [T, T, T]],
  ['aws:PrincipalIsAWSService is false for a role', `{"Bool": {"aws:PrincipalIsAWSService": "false"}}`, app, [T, T, T]],
  // Keys and operators not decided.
  ['an encryption-context key', `{"StringEquals": {"kms:EncryptionContext:team": "x"}}`, app, [U, U, U]],
  ['a numeric operator', `{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}`, app, [U, U, U]],
  ['an unknown operator', `{"StringEqualz": {"kms:CallerAccount": "${B}"}}`, app, [U, U, U]],
  ['an intrinsic condition', `{"Fn::If": ["c", {}, {}]}`, app, [U, U, U]],
];

for (const [name, condition, caller, expected] of cases) {
  test(`condition: ${name}`, () => {
    assert.deepEqual(holds(condition, caller), expected);
  });
}

test('kms:GrantIsForAWSResource is true only when a service calls, and only in grant operations', () => {
  const c = `{"Bool": {"kms:GrantIsForAWSResource": "true"}}`;
  assert.deepEqual(holds(c, app, true), [F, T, T]);
  assert.deepEqual(holds(c, app, false), [F, F, F]);
  // A JSON boolean is the same value.
  assert.deepEqual(holds(`{"Bool": {"kms:GrantIsForAWSResource": true}}`, app, true), [F, T, T]);
  assert.deepEqual(holds(`{"Bool": {"kms:GrantIsForAWSResource": "false"}}`, app, true), [T, F, F]);
});

test('request contexts: direct calls, each kms:ViaService value the statements name (patterns get a value that fits), any other service', () => {
  const json = parseJson(`{"Statement": [
    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": ["s3.us-west-2.amazonaws.com", "ec2.us-west-2.amazonaws.com"]}}},
    {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotLike": {"kms:ViaService": "rds.*.amazonaws.com"}}}
  ]}`);
  const doc = makeDocument('/p.json', json, json.root!, 'file', 'iam-identity-policy', undefined, {});
  const contexts = requestContexts(statementsOf(doc), undefined);
  assert.deepEqual(contexts.labels, ['direct calls', 's3.us-west-2.amazonaws.com', 'ec2.us-west-2.amazonaws.com', 'rds.*.amazonaws.com', 'an AWS service']);
  assert.deepEqual(contexts.via.slice(0, 4), [undefined, 's3.us-west-2.amazonaws.com', 'ec2.us-west-2.amazonaws.com', 'rds.x.amazonaws.com']);
});

test('request contexts with the ViaService entries of further statements read once: the key policy\'s values first, then theirs, each value once', () => {
  const key = parseJson(`{"Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}
  ]}`);
  const grants = parseJson(`{"Statement": [
    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "${B}"}, "StringLike": {"KMS:viaService": ["ec2.*.amazonaws.com", "s3.us-west-2.amazonaws.com"]}}},
    {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"},
    {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringNotEquals": {"kms:ViaService": "rds.us-west-2.amazonaws.com"}}}
  ]}`);
  const keyDoc = makeDocument('/key.json', key, key.root!, 'file', 'kms-key-policy', undefined, {});
  const grantDoc = makeDocument('/role.json', grants, grants.root!, 'file', 'iam-identity-policy', undefined, {});
  const entries = viaServiceEntries(statementsOf(grantDoc));
  assert.deepEqual(entries.map((e) => e.key), ['KMS:viaService', 'kms:ViaService']);
  const contexts = requestContexts(statementsOf(keyDoc), undefined, entries);
  assert.deepEqual(contexts.labels, ['direct calls', 's3.us-west-2.amazonaws.com', 'ec2.*.amazonaws.com', 'rds.us-west-2.amazonaws.com', 'an AWS service']);
  assert.deepEqual(contexts.via.slice(0, 4), [undefined, 's3.us-west-2.amazonaws.com', 'ec2.x.amazonaws.com', 'rds.us-west-2.amazonaws.com']);
});
