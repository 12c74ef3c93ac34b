/**
 * A CloudFormation key template in account A whose Workloads statement trusts an account
 * principal of B written as an expression, and B's roles Reader and Writer with grants on the
 * key, for the narrowing-fix tests (JSON and YAML forms).
 */
import type { Workspace } from '../../../server/src/core/workspace/workspace';
import { yamlKeyTemplate } from '../../support/cfnYaml';
import { A, B, C, KEY, buildWorkspace } from './workspaceFixture';

export const M = '/ws/policy-handshake.json';
export const READER = `arn:aws:iam::${B}:role/Reader`;
export const WRITER = `arn:aws:iam::${B}:role/Writer`;
export const DEV_READER = `arn:aws:iam::${C}:role/DevReader`;
const grant = (action: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": "${KEY}"}]}`;

/**
 * The key template and the roles of B with a grant on the key: Reader, and Writer unless
 * `readerOnly`; with `dev`, account C (dev) and its role DevReader with a grant too. The
 * manifest gives the template's parameters: WorkloadAccount (B) and `parameters`.
 */
export function workspace(keyFile: string, key: string, readerOnly = false, parameters: Record<string, string> = {}, dev = false): Workspace {
  const principals = [{ arn: READER, policies: ['workloads/reader.json'] }];
  if (!readerOnly) principals.push({ arn: WRITER, policies: ['workloads/writer.json'] });
  if (dev) principals.push({ arn: DEV_READER, policies: ['dev/reader.json'] });
  const manifest = JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' }, ...(dev ? { [C]: { name: 'dev' } } : {}) },
    keys: [{ policy: keyFile.replace('/ws/', ''), arn: KEY }],
    principals,
    templates: [{ files: keyFile.replace('/ws/', ''), account: A, region: 'us-west-2', parameters: { WorkloadAccount: B, ...parameters } }],
  });
  return buildWorkspace({
    [M]: manifest,
    [keyFile]: key,
    '/ws/workloads/reader.json': grant('kms:Decrypt'),
    '/ws/workloads/writer.json': grant('kms:Encrypt'),
    ...(dev ? { '/ws/dev/reader.json': grant('kms:Decrypt') } : {}),
  }).ws;
}

export const jsonKey = (principal: string) => `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "WorkloadAccount": { "Type": "String" } },
  "Resources": {
    "AppDataKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "KeyPolicy": {
          "Version": "2012-10-17",
          "Statement": [
            { "Sid": "Own", "Effect": "Allow", "Principal": { "AWS": { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" } }, "Action": "kms:*", "Resource": "*" },
            { "Sid": "Workloads", "Effect": "Allow", "Principal": { "AWS": ${principal} }, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*" }
          ]
        }
      }
    }
  }
}`;

export const JSON_KEY = '/ws/security/key.template.json';
export const YAML_KEY = '/ws/security/key.yaml';

export const yamlKey = (principal: string) => yamlKeyTemplate(`- Sid: Workloads
  Effect: Allow
  Principal:
    AWS: ${principal}
  Action: [kms:Decrypt, kms:Encrypt]
  Resource: '*'`).replace('Resources:', 'Parameters:\n  WorkloadAccount: {Type: String}\nResources:');
