/** Editor features on Terraform files: hover and completion read the nodes built from HCL as they read JSON ones. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { hoverAt } from '../../../server/src/core/features/hover';
import { completionsAt } from '../../../server/src/core/features/completion';
import { repoRoot } from '../../support/corpus';
import { withHclParser } from '../../support/hcl';

withHclParser();

const root = path.join(repoRoot, 'examples', 'terraform');
const KEY = path.join(root, 'security', 'key.tf');
const ROLES = path.join(root, 'workloads', 'roles.tf');

function workspace(): Workspace {
  const ws = new Workspace();
  for (const f of [path.join(root, 'policy-handshake.json'), KEY, ROLES]) ws.updateFile(f, fs.readFileSync(f, 'utf8'));
  return ws;
}

test('hover: the trusted account principal of a jsonencode key policy, an action of a policy document block', () => {
  const ws = workspace();
  const key = ws.text(KEY)!;
  const principal = hoverAt(ws, KEY, key.indexOf('arn:aws:iam::${var.workloads_account_id}:root') + 3)!;
  assert.match(principal.markdown, /^\*\*Account principal\*\* of `345678901234` \(workloads\)/);
  const roles = ws.text(ROLES)!;
  const action = hoverAt(ws, ROLES, roles.indexOf('"kms:Decrypt"') + 6)!;
  assert.match(action.markdown, /^\*\*kms:Decrypt\*\* — Write/);
});

test('completion: actions inside an actions = [...] list of a policy document block', () => {
  const ws = workspace();
  const roles = ws.text(ROLES)!;
  const items = completionsAt(ws, ROLES, roles.indexOf('"kms:Decrypt"') + 5)!.items.map((i) => i.insertText);
  assert.ok(items.includes('kms:Decrypt') || items.includes('Decrypt'), items.slice(0, 5).join(', '));
  assert.ok(items.includes('kms:*'));
});
