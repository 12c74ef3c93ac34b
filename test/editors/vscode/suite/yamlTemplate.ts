/**
 * A CloudFormation YAML template in VS Code: the key template of account A and the role
 * template of account B, bound by a manifest; the key template shows the handshake's
 * diagnostic on its principal, a hover there names the role, and the narrowing quick-fix
 * rewrites the plain YAML scalar.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activateExtension, applyCodeAction, diagnosticCode, expectMarkedDiagnostics, hoverText, openMarkedPolicy, quickFixes,
  waitForDiagnostics, writeWorkspaceFile,
} from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';
import { createWatchedFolder } from '../support/examples';
import { yamlKeyTemplate, yamlRoleTemplate } from '../../../support/cfnYaml';

const ROOT = 'arn:aws:iam::444455556666:root';
const ROLE = 'arn:aws:iam::444455556666:role/App';
const BROADER = 'root-principal-broader-than-grants';

const keyTemplate = (principal: string) => yamlKeyTemplate(`- Sid: Workloads # the other account
  Effect: Allow
  Principal:
    AWS: ${principal}
  Action: kms:Decrypt
  Resource: '*'`);

const roleTemplate = yamlRoleTemplate(`- Effect: Allow
  Action: kms:Decrypt
  Resource: !Ref KeyArn`, 'App');

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const manifest = JSON.stringify({
  accounts: { '111122223333': { name: 'security' }, '444455556666': { name: 'workloads' } },
  keys: [{ policy: 'yaml-templates/security/key.yaml', arn: KEY }],
  templates: [
    { files: 'yaml-templates/security/*.yaml', account: '111122223333', region: 'us-east-1' },
    { files: 'yaml-templates/workloads/*.yml', account: '444455556666', region: 'us-east-1', parameters: { KeyArn: KEY } },
  ],
}, null, 2);

describe('a CloudFormation YAML template in VS Code', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('shows the handshake diagnostic on the principal, a hover naming the role, and narrows the plain scalar', async () => {
    await createWatchedFolder('yaml-templates/security');
    await createWatchedFolder('yaml-templates/workloads');
    await writeWorkspaceFile('policy-handshake.json', manifest);
    await writeWorkspaceFile('yaml-templates/workloads/role.yml', roleTemplate);
    const policy = await openMarkedPolicy('yaml-templates/security/key.yaml', keyTemplate(`«${BROADER}:${ROOT}»`));
    const settled = await waitForDiagnostics(policy.doc.uri, (ds) => ds.some((d) => diagnosticCode(d) === BROADER));
    assert.ok(settled.some((d) => diagnosticCode(d) === BROADER), `diagnostics: ${JSON.stringify(settled.map((d) => diagnosticCode(d)))}`);
    const [broader] = await expectMarkedDiagnostics(policy, [BROADER]);
    assert.strictEqual(broader.source, 'policy-handshake');

    const hover = await hoverText(policy.doc.uri, broader.range.start.translate(0, 3));
    assert.ok(hover.includes('role/App'), hover);

    const fixes = await quickFixes(policy.doc.uri, broader);
    const narrow = fixes.filter((f) => f.title.includes('role/App') && f.isPreferred);
    assert.strictEqual(narrow.length, 1, `fixes: ${fixes.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`).join('; ')}`);
    await applyCodeAction(narrow[0]);
    assert.strictEqual(policy.doc.getText(), keyTemplate(ROLE));
    const after = await waitForDiagnostics(policy.doc.uri, (ds) => !ds.some((d) => diagnosticCode(d) === BROADER));
    assert.deepStrictEqual(after.filter((d) => d.source === 'policy-handshake' && (d.severity === vscode.DiagnosticSeverity.Error || diagnosticCode(d) === BROADER)).map((d) => diagnosticCode(d)), []);
  });
});
