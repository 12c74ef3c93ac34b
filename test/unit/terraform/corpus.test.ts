/**
 * Every `.tf` file of the Terraform corpus (public modules and linter fixtures) is read
 * without an error, and the policies it declares are found.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkText } from '../../../server/src/core/engine';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

const skip = needs('corpus', corpusMissing('terraform/amboss-mededu__terraform-aws-kms'));

test('every .tf file of the corpus is read without an error; policies are found in most of them', skip, () => {
  const files = walk(corpusPath('terraform'), '.tf');
  assert.ok(files.length >= 130, `${files.length} .tf files`);
  let withDocuments = 0;
  let documents = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const r = checkText(file, text);
    assert.deepEqual(r.findings.filter((f) => f.checkId === 'internal-error'), [], file);
    for (const f of r.findings) assert.ok(f.span.offset >= 0 && f.span.offset + f.span.length <= text.length, `${file}: ${f.checkId} span in the text`);
    const n = r.discovered?.documents.length ?? 0;
    documents += n;
    if (n > 0) withDocuments++;
  }
  assert.ok(withDocuments >= 80, `${withDocuments} files with policies`);
  assert.ok(documents >= 240, `${documents} policies`);
});

const AMBOSS = 'terraform/amboss-mededu__terraform-aws-kms';
const A = '111122223333';
const B = '444455556666';

test('amboss-mededu/terraform-aws-kms: the key policy in one account, the key-use policies of the target account in the other', needs('corpus', corpusMissing(AMBOSS)), () => {
  const ws = new Workspace();
  const root = '/ws';
  ws.updateFile(`${root}/policy-handshake.json`, JSON.stringify({
    accounts: { [A]: { name: 'keys' }, [B]: { name: 'target' } },
    templates: [
      { files: 'main.tf', account: A, region: 'eu-central-1', parameters: { target_account_id: B } },
      { files: 'policies.tf', account: B, region: 'eu-central-1' },
    ],
  }));
  for (const name of ['main.tf', 'policies.tf', 'variables.tf', 'providers.tf']) ws.updateFile(`${root}/${name}`, fs.readFileSync(path.join(corpusPath(AMBOSS), name), 'utf8'));
  const main = ws.discovered(`${root}/main.tf`)!.documents;
  assert.deepEqual(main.map((d) => [d.kind, d.owner.label, d.owner.account]), [['kms-key-policy', 'aws_kms_key.key', A]]);
  const policies = ws.discovered(`${root}/policies.tf`)!.documents;
  assert.deepEqual(policies.map((d) => [d.kind, d.owner.label, d.owner.account, d.isManagedPolicy]), [
    ['iam-identity-policy', 'aws_iam_policy.kms_use', B, true],
    ['iam-identity-policy', 'aws_iam_policy.kms_use_with_grant', B, true],
    ['iam-identity-policy', 'aws_iam_policy.kms_decrypt', B, true],
  ]);
  // The cross-account statements are `dynamic` blocks (computed at plan time) and the policies'
  // resource is the key's ARN (known after apply): the handshake has nothing certain to say. What
  // is certain: kms:ReEncrypt is not an action (KMS has ReEncryptFrom and ReEncryptTo).
  const text = ws.text(`${root}/policies.tf`)!;
  const found = (f: string) => ws.findings(`${root}/${f}`).map((x) => [x.checkId, x.message, text.slice(x.span.offset - 5, x.span.offset + x.span.length + 1)]);
  assert.deepEqual(ws.findings(`${root}/main.tf`), []);
  const reEncrypt = ['unknown-action', 'Unknown action "ReEncrypt": write "kms:ReEncrypt*", which allows both of its actions. IAM authorizes ReEncrypt as two actions, ReEncryptFrom (on the source) and ReEncryptTo (on the destination).', '"kms:ReEncrypt"'];
  assert.deepEqual(found('policies.tf'), [reEncrypt, reEncrypt]);
});
