import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conditionValueType } from '../../../server/src/core/checks/conditionValueType';
import { checkText } from '../../../server/src/core/engine';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { expectFindings } from '../../support/fixture';
import { needs } from '../../support/needs';

const only = ['condition-value-type'];
const policy = (condition: string, version = '"Version": "2012-10-17", ') =>
  `{${version}"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": ${condition}}]}`;

test('condition-value-type: values that fit', () => {
  expectFindings(policy(`{
    "Bool": {"aws:SecureTransport": true, "aws:MultiFactorAuthPresent": "false", "kms:GrantIsForAWSResource": "True"},
    "Null": {"aws:PrincipalOrgID": false, "kms:ViaService": "true"},
    "NumericLessThan": {"aws:MultiFactorAuthAge": [3600, "7200", "1.5"]},
    "DateGreaterThan": {"aws:CurrentTime": ["2026-01-31", "2026-01-31T12:00:00Z", "2026-01-31T12:00:00.123+02:00", "1767225600", 1767225600]},
    "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "203.0.113.7", "2001:db8::/32", "::ffff:203.0.113.7", "2001:DB8:0:0:8:800:200C:417A"]},
    "ArnLike": {"aws:SourceArn": ["arn:aws:s3:::b", "*", "arn:aws:sqs:*:111122223333:*"]},
    "NumericEquals": {"aws:EpochTime": "1767225600"}}`), { only });
});

test('condition-value-type: values that do not fit, range is the value', () => {
  expectFindings(policy(`{
    "Bool": {"aws:SecureTransport": «condition-value-type:"yes"»},
    "BoolIfExists": {"aws:MultiFactorAuthPresent": [«condition-value-type:1»]},
    "Null": {"kms:ViaService": «condition-value-type:"absent"»},
    "NumericLessThan": {"aws:MultiFactorAuthAge": «condition-value-type:"one hour"»},
    "DateGreaterThan": {"aws:CurrentTime": [«condition-value-type:"31/01/2026"», «condition-value-type:"2026-13-01"»]},
    "IpAddress": {"aws:SourceIp": [«condition-value-type:"203.0.113.0/33"», «condition-value-type:"300.1.1.1"», «condition-value-type:"2001:db8:::1"»]},
    "ArnEquals": {"aws:SourceArn": «condition-value-type:"111122223333"»}}`), { only });
});

test('condition-value-type: JSON booleans and strings in Bool, with set qualifiers', () => {
  expectFindings(policy(`{"ForAnyValue:Bool": {"kms:GrantIsForAWSResource": [true, "false"]}, "Bool": {"aws:SecureTransport": [«condition-value-type:"TRUE!"», false]}}`), { only });
});

test('condition-value-type: an operator that does not fit the key type', () => {
  expectFindings(policy(`{
    "NumericEquals": {«condition-value-type:"aws:SourceArn"»: "1"},
    "DateLessThan": {«condition-value-type:"aws:SecureTransport"»: "2026-01-01"},
    "StringEquals": {«condition-value-type:"aws:ViaAWSService"»: "true", "aws:SourceArn": "arn:aws:s3:::b"},
    "IpAddress": {«condition-value-type:"aws:MultiFactorAuthAge"»: "203.0.113.0/24"}}`), { only });
});

test('condition-value-type: ForAllValues on single-valued global keys; multivalued keys and ForAnyValue are fine', () => {
  expectFindings(policy(`{
    "ForAllValues:StringEquals": {«condition-value-type:"aws:PrincipalOrgID"»: ["o-1"], "aws:TagKeys": ["team"], "kms:EncryptionContextKeys": ["app"]},
    "ForAllValues:StringLikeIfExists": {«condition-value-type:"aws:RequestTag/team"»: ["a*"]},
    "ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ["o-1"]}}`), { only });
});

test('condition-value-type: policy variables only in String and Arn conditions', () => {
  expectFindings(policy(`{
    "StringEquals": {"aws:PrincipalTag/team": "\${aws:ResourceTag/team}"},
    "ArnLike": {"aws:SourceArn": "arn:aws:s3:::\${aws:username}-*"},
    "NumericLessThan": {"aws:MultiFactorAuthAge": «condition-value-type:"\${aws:PrincipalTag/maxAge}"»},
    "DateGreaterThan": {"aws:CurrentTime": «condition-value-type:"\${aws:TokenIssueTime}"»}}`), { only });
});

test('condition-value-type: with Version 2008 a ${…} is literal text', () => {
  expectFindings(policy(`{"DateGreaterThan": {"aws:CurrentTime": «condition-value-type:"\${aws:TokenIssueTime}"»}, "StringEquals": {"aws:username": "\${aws:username}"}}`, '"Version": "2008-10-17", '), { only });
});

test('condition-value-type: unknown operators, unknown keys and intrinsics are left alone', () => {
  expectFindings(policy(`{"Boolean": {"aws:SecureTransport": "yes"}, "StringEquals": {"nosuch:Key": "x"}, "IpAddress": {"aws:SourceIp": {"Ref": "Cidr"}}}`), { only });
});

test('condition-value-type: in the AWS managed policies only the type mismatch Access Analyzer also reports', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = corpusPath('aws-managed');
  const found: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const f of checkText(name, text, { checks: [conditionValueType] }).findings) found.push(`${name} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
  }
  assert.deepEqual(found, ['AIOpsAssistantPolicy.json "aws:ViaAWSService"']);
});
