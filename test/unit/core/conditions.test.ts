import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseOperator, positiveConditionValues } from '../../../server/src/core/model/conditions';
import { statementsOf } from '../../../server/src/core/model/policyDocument';
import { discover } from '../../../server/src/core/sources/discover';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { readKeyPolicyTrusts } from '../../../server/src/core/handshake/keyPolicyTrusts';
import { readRoleTrusts } from '../../../server/src/core/handshake/roleTrusts';

test('operators: qualifiers, IfExists, and Object.prototype names are not operators', () => {
  assert.deepEqual(
    [parseOperator('ForAnyValue:StringLikeIfExists')].map((o) => [o.base, o.set, o.ifExists, o.problem]),
    [['StringLike', 'ForAnyValue', true, undefined]],
  );
  assert.equal(parseOperator('NullIfExists').problem !== undefined, true);
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) assert.equal(parseOperator(name).base, undefined, name);
});

// One reader of positive condition values (model/conditions.ts), used by the key-policy and role-trust readers alike.

/** The first statement of a policy whose Condition is `condition` (a bare policy file; `Ref` is a template value). */
function statementWith(condition: string) {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": ${condition}}]}`;
  const [doc] = discover('/p.json', text, { kind: 'kms-key-policy' }).documents;
  return statementsOf(doc)[0];
}

test('positive condition values: an account id written as a number is its digits', () => {
  const s = statementWith('{"StringEquals": {"kms:CallerAccount": 444455556666}}');
  assert.deepEqual(positiveConditionValues(s, 'kms:calleraccount', undefined), { values: ['444455556666'] });
  assert.deepEqual(positiveConditionValues(statementWith('{"StringEquals": {"aws:PrincipalAccount": [111122223333, "444455556666"]}}'), 'aws:principalaccount', undefined), { values: ['111122223333', '444455556666'] });
});

test('positive condition values: an unresolved template value limits the key to values not known', () => {
  const alone = statementWith('{"StringEquals": {"aws:PrincipalOrgID": {"Ref": "OrgId"}}}');
  assert.deepEqual(positiveConditionValues(alone, 'aws:principalorgid', undefined), { values: undefined });
  // Its known values are not read either: the unknown one may be any account.
  const mixed = statementWith('{"StringEquals": {"kms:CallerAccount": ["111122223333", {"Ref": "Other"}]}}');
  assert.deepEqual(positiveConditionValues(mixed, 'kms:calleraccount', undefined), { values: undefined });
  // Resolved by the template context, it is read.
  assert.deepEqual(positiveConditionValues(mixed, 'kms:calleraccount', { parameters: { Other: '444455556666' } }), { values: ['111122223333', '444455556666'] });
  // Another entry with known values still narrows.
  const both = statementWith('{"StringEquals": {"kms:CallerAccount": {"Ref": "Other"}}, "StringLike": {"aws:PrincipalAccount": ["111122223333"]}}');
  assert.deepEqual(positiveConditionValues(both, ['kms:calleraccount', 'aws:principalaccount'], undefined), { values: ['111122223333'] });
});

test('positive condition values: entries on several keys intersect; negative, IfExists and ForAllValues entries are not read', () => {
  const s = statementWith('{"StringEquals": {"kms:CallerAccount": ["111122223333", "444455556666"]}, "StringLike": {"AWS:PrincipalAccount": ["444455556666", "777788889999"]}}');
  assert.deepEqual(positiveConditionValues(s, ['kms:calleraccount', 'aws:principalaccount'], undefined), { values: ['444455556666'] });
  assert.deepEqual(positiveConditionValues(s, 'aws:principalaccount', undefined), { values: ['444455556666', '777788889999'] });
  for (const op of ['StringNotEquals', 'StringEqualsIfExists', 'ForAllValues:StringEquals', 'NumericEquals']) {
    assert.equal(positiveConditionValues(statementWith(`{"${op}": {"kms:CallerAccount": "111122223333"}}`), 'kms:calleraccount', undefined), undefined, op);
  }
});

test('the key-policy and role-trust readers agree on a number account id and on an unresolved template value', () => {
  const catalog = defaultCatalog();
  const keyPolicy = (condition: string, principal = '"*"') => {
    const text = `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ${principal}}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": ${condition}}}}]}`;
    const [doc] = discover('/k.json', text, { kind: 'kms-key-policy' }).documents;
    return readKeyPolicyTrusts(doc, catalog, undefined).statements.flatMap((t) => t.trusts.map((x) => [x.form, x.account]));
  };
  const roleTrust = (condition: string, principal = '"*"') => {
    const text = `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ${principal}}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalAccount": ${condition}}}}]}`;
    const [doc] = discover('/t.json', text, { kind: 'iam-trust-policy' }).documents;
    return readRoleTrusts(doc, undefined).flatMap((t) => t.trusts.map((x) => [x.form, x.account]));
  };
  assert.deepEqual(keyPolicy('444455556666'), [['caller-account', '444455556666']]);
  assert.deepEqual(roleTrust('444455556666'), [['caller-account', '444455556666']]);
  // `*` limited to an account not known: no account is read, as without the condition.
  assert.deepEqual(keyPolicy('{"Ref": "Other"}'), [['public', undefined]]);
  assert.deepEqual(roleTrust('{"Ref": "Other"}'), [['public', undefined]]);
  // A named principal is kept: the unknown account may be its own.
  const named = '"arn:aws:iam::444455556666:role/App"';
  assert.deepEqual(keyPolicy('["111122223333", {"Ref": "Other"}]', named), [['principal', '444455556666']]);
  assert.deepEqual(roleTrust('["111122223333", {"Ref": "Other"}]', named), [['principal', '444455556666']]);
  // A known account other than the principal's: no one matches.
  assert.deepEqual(keyPolicy('111122223333', named), []);
  assert.deepEqual(roleTrust('111122223333', named), []);
});
