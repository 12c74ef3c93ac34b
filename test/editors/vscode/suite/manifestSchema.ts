/**
 * policy-handshake.json in VS Code: each problem is reported once, by the `manifest` check, not
 * a second time by VS Code's JSON validation against the schema the extension contributes; that
 * schema still gives completion and hover.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, cleanWorkspace, completionLabels, cursorOf, diagnosticCode, hoverText, openMarkedPolicy, waitForDiagnostics, writeWorkspaceFile } from '../support/editor';
import { waitUntil } from '../support/poll';

describe('the manifest in VS Code: one diagnostic per problem, completion and hover from the schema', () => {
  before(activateExtension);
  afterEach(cleanWorkspace);

  it('a Region in upper case is one diagnostic, the manifest check\'s; keys and principals are completed', async () => {
    await writeWorkspaceFile('stacks/app.json', '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } } }\n');
    // A trailing comma, which VS Code's JSON validation reports in the same pass as what the schema rejects:
    // once its diagnostic is shown, a schema diagnostic would be too.
    const manifest = await openMarkedPolicy('policy-handshake.json', `{
  "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": «manifest:"US-WEST-2"» }],
  $0
}
`);
    const uri = manifest.doc.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => diagnosticCode(d) === 'manifest'));
    // The template file is written to disk just before: the server may check the manifest once
    // before its file watcher reports it ("matches no file"), then again.
    const all = await waitUntil(() => {
      const ds = vscode.languages.getDiagnostics(uri);
      return ds.some((d) => d.source !== 'policy-handshake') && !ds.some((d) => d.message.includes('matches no file')) && ds;
    }, 'VS Code\'s own JSON diagnostic (the trailing comma), and the template file seen');
    const line = (d: vscode.Diagnostic) => [d.source, d.range.start.line, d.range.start.character, d.message];
    assert.deepStrictEqual(all.map(line).sort(), [
      ['json', 1, 95, 'Trailing comma'],
      ['policy-handshake', 1, 81, 'templates[0].region "US-WEST-2" is not a Region name: change it to "us-west-2". It is not used until then: the entry gives its files no Region (AWS::Region).'],
    ]);
    const labels = await completionLabels(uri, cursorOf(manifest));
    for (const property of ['accounts', 'keys', 'principals', 'organization', 'trustedAccounts']) assert.ok(labels.includes(property), `${property} in ${labels.join(', ')}`);
    // The hover is markdown: its punctuation escaped.
    const hover = (await hoverText(uri, new vscode.Position(1, 73))).replace(/\\/g, '');
    assert.ok(hover.startsWith('The Region the stacks are deployed to (AWS::Region), such as us-west-2.'), hover);
  });
});
