/**
 * Who can use each key (core/features/keyAccess), on examples/organization: an
 * organization-wide key resolved to its member accounts, a key usable only through S3, and a
 * partner's grant the key policy does not trust.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyAccess, type Place } from '../../../server/src/core/features/keyAccess';
import { LineIndex } from '../../../server/src/core/positions';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { repoRoot } from '../../support/corpus';

const EXAMPLE = path.join(repoRoot, 'examples', 'organization');

function exampleWorkspace(): Workspace {
  const ws = new Workspace();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'policy-handshake.json') ws.setManifest(p, fs.readFileSync(p, 'utf8'));
      else if (e.name.endsWith('.json')) ws.updateFile(p, fs.readFileSync(p, 'utf8'));
    }
  };
  walk(EXAMPLE);
  return ws;
}

test('key access on examples/organization: member accounts, a service-only principal, an untrusted grant', () => {
  const ws = exampleWorkspace();
  const at = (p: Place) => `${path.relative(EXAMPLE, p.file)}:${new LineIndex(ws.text(p.file)!).position(p.span.offset).line + 1}`;
  const lines = keyAccess(ws).flatMap((k) => [
    `key ${k.label}`,
    ...k.accounts.flatMap((a) => [
      `  ${a.name} (${a.account})${a.own ? ' own' : ''}${a.wholeAccount ? ' whole' : ''}: ${a.trusted.join(', ')}`,
      ...a.principals.map((p) => `    ${p.label}: ${p.actions.join(', ')}${p.via ? ` only through ${p.via.join(', ')}` : ''}${p.conditions.length ? ' conditional' : ''} (${p.places.map(at).join(', ')})`),
      ...a.ineffective.map((i) => `    no effect: ${i.actions.join(', ')} of ${i.principal}: ${i.reason} (${i.place ? at(i.place) : '-'})`),
    ]),
  ]);
  assert.deepEqual(lines, [
    'key arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    '  security (111122223333) own whole: kms:*',
    '  partner (210987654321): ',
    '    no effect: kms:Decrypt of role/Auditor: the key policy does not trust this principal or its account (partner/roles/auditor/read-org-logs.json:4)',
    '  workloads (444455556666) whole: kms:Decrypt, kms:DescribeKey',
    '    role/LogReader: kms:Decrypt, kms:DescribeKey (workloads/roles/log-reader/read-org-logs.json:4)',
    '  analytics (777788889999) whole: kms:Decrypt, kms:DescribeKey',
    '    role/Etl: kms:Decrypt (analytics/roles/etl/read-org-logs.json:4)',
    'key arn:aws:kms:us-west-2:111122223333:key/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0',
    '  security (111122223333) own whole: kms:*',
    '  workloads (444455556666) whole: kms:Decrypt, kms:GenerateDataKey',
    '    role/DataWriter: kms:Decrypt, kms:GenerateDataKey only through s3.us-west-2.amazonaws.com (workloads/roles/data-writer/write-s3-data.json:4)',
  ]);
});
