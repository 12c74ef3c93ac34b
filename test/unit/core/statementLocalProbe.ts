/**
 * Whether a check that does not declare `statementLocal` behaves like one: run on sample
 * policies once over the whole document and once a statement at a time (the engine's
 * statement memo path, with the check declared statement-local for the run), the findings
 * are the same. When they are, on samples where the check reports something, the check
 * could declare `statementLocal: true` and be kept across edits of other statements. The
 * samples cannot prove a check statement-local (test/unit/core/statementMemo.test.ts
 * checks the declared ones through edits); they only show when the declaration is worth
 * considering.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../../../server/src/core/checks/check';
import { checkOwn } from '../../../server/src/core/engine';
import { discover } from '../../../server/src/core/sources/discover';
import type { FileBinding } from '../../../server/src/core/sources/discoveredFile';
import { StatementMemos } from '../../../server/src/core/statementMemo';

const OWN = '111122223333';
const OTHER = '444455556666';

interface Sample { path: string; text: string; binding?: FileBinding }

/** Policies of at least 8 statements (fewer are never run a statement at a time), with findings of many checks. */
export const SAMPLES: Sample[] = [
  {
    path: '/ws/keys/key.json',
    binding: { kind: 'kms-key-policy', owner: { account: OWN, keyArn: `arn:aws:kms:us-east-1:${OWN}:key/abc` } },
    text: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Typo', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ['kms:Decrpyt', 'kms:Encrypt', 'kms:Encrypt', 'kms:Decrpyt*'], Resource: '*' },
        { Sid: 'BadArn', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::44445555666:role/x' }, Action: 'kms:DescribeKey', Resource: '*' },
        { Sid: 'Cond', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:role/App` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaServce': 's3.us-east-1.amazonaws.com' }, Bool: { 'aws:SecureTransport': 'yes' } } },
        { Sid: 'NoResource', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:role/App` }, Action: 'kms:Decrypt' },
        { Sid: 'NotStar', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:role/App` }, Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${OWN}:key/abc` },
        { Sid: 'UniqueId', Effect: 'Allow', Principal: { AWS: 'AROAEXAMPLEID1234567' }, Action: 'kms:Decrypt', Resource: '*' },
        { Sid: 'Empty', Effect: 'Allow', Principal: { AWS: [] }, Action: [], Resource: '*' },
        { Sid: 'NotPrincipal', Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:Decrypt', Resource: '*' },
        { Sid: 'Operator', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEqual: { 'aws:PrincipalTag/team': 'a' } } },
        { Sid: 'NoPrincipal', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
        { Sid: 'Cond', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
        { Sid: 'Perimeter', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': OWN } } },
      ],
    }, null, 2),
  },
  {
    path: '/ws/roles/app.json',
    binding: { kind: 'iam-identity-policy' },
    text: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObject', 's3:Get*'], Resource: 'arn:aws:s3:::bucket/*' },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${OWN}:alias/app` },
        { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: 'arn:aws:s3:::bucket' },
        { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' },
        { Effect: 'Allow', Action: ['s3:GetObjekt', 's3:Gett*', '*:Nothing*'], Resource: '*' },
        { Sid: 'CallTheUnknownService', Effect: 'Allow', Action: 'nosuchservice:Do', Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 's3:prefix': [] }, IpAddress: { 'aws:SourceIp': 'not-an-ip' } } },
        { Sid: 'read-logs', Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' },
        { Sid: 'read logs', Effect: 'Allow', Action: 'logs:FilterLogEvents', Resource: '*' },
        { Sid: 'readLogs', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
        { Sid: 'Twice', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
        { Sid: 'Twice', Effect: 'Allow', Action: 'sns:Subscribe', Resource: '*' },
        { Effect: 'Allow', Acton: 'sqs:ReceiveMessage', Resource: '*' },
      ],
    }, null, 2),
  },
  {
    path: '/ws/roles/trust.json',
    binding: { kind: 'iam-trust-policy' },
    text: JSON.stringify({
      Version: '2008-10-17',
      Statement: Array.from({ length: 8 }, (_, i) => ({
        Sid: i === 3 ? 'bad sid' : `S${i % 6}`,
        Effect: 'Allow',
        ...(i === 5 ? {} : { Principal: i % 2 ? { Service: 'ec2.amazonaws.com' } : { AWS: `arn:aws:iam::${OTHER}:root` } }),
        Action: i === 6 ? 'sts:AssumeRol' : 'sts:AssumeRole',
      })),
    }, null, 2),
  },
];

export interface ProbeResult {
  /** Whole-document and statement-at-a-time findings were the same on every sample. */
  behavesLocally: boolean;
  /** How many findings the check reported on the samples (none: nothing to judge by). */
  findings: number;
}

export function probeStatementLocal(check: Check<any>): ProbeResult {
  const asLocal: Check<any> = { ...check, statementLocal: true };
  let findings = 0;
  for (const s of SAMPLES) {
    const whole = checkOwn(discover(s.path, s.text, s.binding), { checks: [check] });
    const perStatement = checkOwn(discover(s.path, s.text, s.binding), { checks: [asLocal] }, new StatementMemos());
    if (!isDeepStrictEqual(whole, perStatement)) return { behavesLocally: false, findings };
    findings += whole.file.length + whole.documents.flat().length;
  }
  return { behavesLocally: true, findings };
}
