/**
 * Terraform variables across the files of a module: a `variable` default declared in
 * `variables.tf` is read in `key.tf`, and what `terraform.tfvars` and `*.auto.tfvars` assign
 * wins over defaults; the manifest's `parameters` win over both; other `.tfvars` files (given
 * with `-var-file`) assign nothing.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { discover } from '../../../server/src/core/sources/discover';
import { toValue } from '../../../server/src/core/json/nodes';
import { withHclParser } from '../../support/hcl';
import { A, B, C } from '../handshake/workspaceFixture';

withHclParser();

const KEY = `
resource "aws_kms_key" "app" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Own", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${A}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Partner", Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${var.partner}:root" }, Action = "kms:Decrypt", Resource = "*" },
    ]
  })
}
`;
const VARIABLES = `variable "partner" {\n  type    = string\n  default = "${B}"\n}\n`;
const manifest = (parameters?: Record<string, string>) => JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' }, [C]: { name: 'analytics' } },
  templates: [{ files: 'security/*.tf', account: A, region: 'us-west-2', ...(parameters ? { parameters } : {}) }],
});

/** The account the key policy's second statement trusts, as the workspace reads it. */
function partner(ws: Workspace): unknown {
  const doc = ws.discovered('/w/security/key.tf')!.documents.find((d) => d.kind === 'kms-key-policy')!;
  const statements = doc.root.children!.find((p) => p.children![0].value === 'Statement')!.children![1].children!;
  const principal = statements[1].children!.find((p) => p.children![0].value === 'Principal')!.children![1];
  return toValue(principal.children![0].children![1]);
}

function workspace(files: Record<string, string>, parameters?: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.updateFiles([{ path: '/w/policy-handshake.json', text: manifest(parameters) }, ...Object.entries(files).map(([path, text]) => ({ path, text }))]);
  return ws;
}

test('a variable default declared in another .tf file of the module is read', () => {
  assert.equal(partner(workspace({ '/w/security/key.tf': KEY, '/w/security/variables.tf': VARIABLES })), `arn:aws:iam::${B}:root`);
  // Another folder is another module: its defaults are not this one's.
  assert.equal(typeof partner(workspace({ '/w/security/key.tf': KEY, '/w/other/variables.tf': VARIABLES })), 'object');
});

test('terraform.tfvars wins over the default, *.auto.tfvars over terraform.tfvars, the manifest over both; other .tfvars assign nothing', () => {
  const files = { '/w/security/key.tf': KEY, '/w/security/variables.tf': VARIABLES, '/w/security/terraform.tfvars': `partner = "${C}" # the analytics account\n` };
  assert.equal(partner(workspace(files)), `arn:aws:iam::${C}:root`);
  assert.equal(partner(workspace({ ...files, '/w/security/zz.auto.tfvars': 'partner = "111111111111"\n' })), 'arn:aws:iam::111111111111:root');
  assert.equal(partner(workspace(files, { partner: '222222222222' })), 'arn:aws:iam::222222222222:root');
  assert.equal(partner(workspace({ '/w/security/key.tf': KEY, '/w/security/variables.tf': VARIABLES, '/w/security/prod.tfvars': `partner = "${C}"\n` })), `arn:aws:iam::${B}:root`);
});

test('editing or removing terraform.tfvars reads the module\'s .tf files again', () => {
  const ws = workspace({ '/w/security/key.tf': KEY, '/w/security/variables.tf': VARIABLES });
  ws.updateFile('/w/security/terraform.tfvars', `partner = "${C}"\n`);
  assert.equal(partner(ws), `arn:aws:iam::${C}:root`);
  ws.updateFile('/w/security/terraform.tfvars', 'partner = "333333333333"\n');
  assert.equal(partner(ws), 'arn:aws:iam::333333333333:root');
  ws.removeFile('/w/security/terraform.tfvars');
  assert.equal(partner(ws), `arn:aws:iam::${B}:root`);
});

test('a change of a variable reads again only the files of the module that name it', () => {
  const ws = workspace({ '/w/security/key.tf': KEY, '/w/security/variables.tf': VARIABLES, '/w/security/other.tf': 'resource "aws_iam_role" "r" {\n  name = "r"\n}\n' });
  const affected = ws.updateFile('/w/security/terraform.tfvars', `partner = "${C}"\n`);
  assert.ok(affected.includes('/w/security/key.tf'), affected.join(', '));
  assert.ok(!affected.includes('/w/security/other.tf'), affected.join(', '));
  assert.equal(partner(ws), `arn:aws:iam::${C}:root`);
});

test('a variables file holds no policy: literal assignments only, no finding', () => {
  const d = discover('/w/terraform.tfvars', 'a = "x"\nb = 12\nc = true\nd = ["l"]\ne = "${var.f}"\n__proto__ = "p"\n', undefined);
  assert.equal(d.documents.length, 0);
  assert.deepEqual(d.moduleVariables, { assigned: { a: 'x', b: '12', c: 'true' } });
  assert.deepEqual(discover('/w/prod.tfvars', 'a = "x"\n', undefined).moduleVariables, undefined);
  const ws = workspace({ '/w/security/terraform.tfvars': 'not hcl at all {{{\n' });
  assert.deepEqual(ws.findings('/w/security/terraform.tfvars'), []);
});
