/**
 * Terraform in VS Code, on a copy of examples/terraform as the workspace: the key's .tf file
 * shows the handshake diagnostic on its trusted root, the hover on it, and the narrowing fix
 * rewrites the principal inside jsonencode as an HCL list of the two roles with grants.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ACCOUNT_PRINCIPAL_HEADING } from '../../../../server/src/core/features/principalHover';
import { activateExtension, applyCodeAction, diagnosticCode, expectMarkedDiagnostics, hoverText, openMarkedPolicy, quickFixes, waitForDiagnostics } from '../support/editor';
import { cleanEditedWorkspace } from '../support/edits';
import { copyExample, exampleText } from '../support/examples';

const EXAMPLE = 'terraform';
const KEY = 'security/key.tf';
const ROOT = '"arn:aws:iam::${var.workloads_account_id}:root"';
const BROADER = 'root-principal-broader-than-grants';
// The fix keeps the principal's template: each role of that account is written with the variable.
const APP_READER = 'arn:aws:iam::${var.workloads_account_id}:role/AppReader';
const REPORT_BUILDER = 'arn:aws:iam::${var.workloads_account_id}:role/ReportBuilder';
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('Terraform in VS Code (examples/terraform)', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('shows the handshake diagnostic and hover on a .tf key policy, and narrows the root principal in HCL', async () => {
    await copyExample(EXAMPLE, [KEY]);
    const original = await exampleText(EXAMPLE, KEY);
    const at = original.indexOf(ROOT);
    const policy = await openMarkedPolicy(KEY, `${original.slice(0, at)}«${BROADER}:${ROOT}»${original.slice(at + ROOT.length)}`);
    // Both roles' grants are read from workloads/roles.tf (a policy document block and a managed policy).
    const settled = await waitForDiagnostics(policy.doc.uri, (ds) => ds.some((d) => diagnosticCode(d) === BROADER && d.message.includes('role/ReportBuilder')));
    assert.ok(settled.some((d) => diagnosticCode(d) === BROADER), `no ${BROADER}: ${JSON.stringify(settled.map((d) => diagnosticCode(d)))}`);
    const [broader] = await expectMarkedDiagnostics(policy, [BROADER]);

    // VS Code shows the finding (naming both roles) and the server's hover together; the hover
    // then leaves out the roles the finding already names.
    assert.ok(broader.message.includes('role/AppReader') && broader.message.includes('role/ReportBuilder'), broader.message);
    const hover = await hoverText(policy.doc.uri, policy.doc.positionAt(at + 5));
    assert.ok(hover.includes(`${ACCOUNT_PRINCIPAL_HEADING} of`), `hover does not name the account principal:\n${hover}`);
    assert.ok(hover.includes('**Handshake**') && hover.includes('Trusted for kms:'), hover);

    const fixes = await quickFixes(policy.doc.uri, broader);
    const both = fixes.find((f) => /^Narrow the principal to the 2 principals/.test(f.title));
    assert.ok(both, `fixes: ${fixes.map((f) => f.title).join('; ')}`);
    await applyCodeAction(both);
    const text = policy.doc.getText();
    assert.ok(!text.includes(ROOT), text);
    assert.match(text, new RegExp(`Principal = \\{ AWS = \\[\\s*"${literal(APP_READER)}",\\s*"${literal(REPORT_BUILDER)}"\\s*\\] \\}`));
    const after = await waitForDiagnostics(policy.doc.uri, (ds) => !ds.some((d) => diagnosticCode(d) === BROADER));
    assert.deepStrictEqual(after.filter((d) => diagnosticCode(d) === BROADER), []);
  });
});
