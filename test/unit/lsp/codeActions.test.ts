import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix } from '../../../server/src/core/findings';
import { wantsQuickFixes, workspaceEdit } from '../../../server/src/lsp/codeActions';
import { ServerModel } from '../../../server/src/lsp/model';

function model(files: Record<string, string>): ServerModel {
  const m = new ServerModel(new TextDocuments(TextDocument), {}, () => undefined);
  for (const [p, t] of Object.entries(files)) m.setDiskText(p, t);
  return m;
}

const A = '{\n  "Statement": []\n}';
const fix: Fix = {
  title: 'fix',
  id: 'example',
  changes: [
    { edits: [{ offset: A.indexOf('[]'), length: 2, newText: '[{}]' }] },
    { file: '/w/b.json', edits: [{ offset: 0, length: 1, newText: '[' }] },
    { file: '/w/new.json', create: true, edits: [{ offset: 0, length: 0, newText: '{"Statement": []}' }] },
  ],
};

test('code action edit: versioned edits for the document, null versions elsewhere, file creation', () => {
  const m = model({ '/w/a.json': A, '/w/b.json': '{}' });
  const edit = workspaceEdit(fix, 'file:///w/a.json', 7, m, { documentChanges: true, createFiles: true });
  assert.deepEqual(edit, {
    documentChanges: [
      { textDocument: { uri: 'file:///w/a.json', version: 7 }, edits: [{ range: { start: { line: 1, character: 15 }, end: { line: 1, character: 17 } }, newText: '[{}]' }] },
      { textDocument: { uri: 'file:///w/b.json', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: '[' }] },
      { kind: 'create', uri: 'file:///w/new.json', options: { ignoreIfExists: true } },
      { textDocument: { uri: 'file:///w/new.json', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '{"Statement": []}' }] },
    ],
  });
});

test('code action edit: not offered when the client cannot create files or the target is unknown', () => {
  const m = model({ '/w/a.json': A, '/w/b.json': '{}' });
  assert.equal(workspaceEdit(fix, 'file:///w/a.json', 7, m, { documentChanges: true, createFiles: false }), undefined);
  assert.equal(workspaceEdit(fix, 'file:///w/a.json', 7, m, { documentChanges: false, createFiles: false }), undefined);
  const toMissing: Fix = { ...fix, changes: [{ file: '/w/missing.json', edits: [] }] };
  assert.equal(workspaceEdit(toMissing, 'file:///w/a.json', 7, m, { documentChanges: true, createFiles: true }), undefined);
});

test('code action edit: plain `changes` for clients without versioned edits', () => {
  const m = model({ '/w/a.json': A });
  const local: Fix = { ...fix, changes: [fix.changes[0]] };
  assert.deepEqual(workspaceEdit(local, 'file:///w/a.json', 2, m, { documentChanges: false, createFiles: false }), {
    changes: { 'file:///w/a.json': [{ range: { start: { line: 1, character: 15 }, end: { line: 1, character: 17 } }, newText: '[{}]' }] },
  });
});

test('code action kinds: quick-fixes when asked for quickfix, a parent kind, or anything', () => {
  assert.ok(wantsQuickFixes(undefined));
  assert.ok(wantsQuickFixes(['quickfix']));
  assert.ok(!wantsQuickFixes(['refactor']));
  assert.ok(!wantsQuickFixes(['source.fixAll']));
});
