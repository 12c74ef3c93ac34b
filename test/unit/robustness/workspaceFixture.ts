/**
 * A small workspace with both sides of a cross-account grant: the manifest, account A's key
 * policy trusting account B's root, and an IAM policy of B's role granting the key.
 * Paths are rooted at `/ws`; `writeWorkspace` puts the same files in a real folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const KEY_ARN = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const HANDSHAKE_WORKSPACE: Record<string, string> = {
  '/ws/policy-handshake.json': JSON.stringify({
    accounts: { '111122223333': { name: 'security' }, '444455556666': { name: 'workloads' } },
    keys: [{ policy: 'keys/app-data.json', arn: KEY_ARN }],
    principals: [{ arn: 'arn:aws:iam::444455556666:role/ExampleRole', policies: ['iam/*.json'] }],
  }, null, 2),
  '/ws/keys/app-data.json': JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EnableIam', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'External', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root', '444455556666'] }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:PutKeyPolicy'], Resource: '*' },
    ],
  }, null, 2),
  '/ws/iam/use-key.json': JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: KEY_ARN }, { Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  }, null, 2),
};

/** The workspace files under `root` (a real folder); returns their paths by workspace path. */
export function writeWorkspace(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, text] of Object.entries(HANDSHAKE_WORKSPACE)) {
    const file = path.join(root, ...p.slice('/ws/'.length).split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    out[p] = file;
  }
  return out;
}
