import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findNodeAtOffset } from 'jsonc-parser';
import { completionsAt } from '../../../server/src/core/features/completion';
import { hoverAt } from '../../../server/src/core/features/hover';
import { readStatements, valueItems } from '../../../server/src/core/model/policyDocument';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { spanText } from './cursor';
import { needs } from '../../support/needs';

const KEY_POLICIES = 'kms-key-policies/aws-kms-developer-guide/full-key-policies';
const AUTH_DETAILS = 'authorization-details/aws-cli-docs/get-account-authorization-details.example-output.json';

/** Hover and completion at every offset of the file: never a throw, spans inside the file. */
function everyOffset(ws: Workspace, path: string, text: string): void {
  for (let offset = 0; offset <= text.length; offset++) {
    const h = hoverAt(ws, path, offset);
    if (h) assert.ok(h.span.offset <= offset && offset <= h.span.offset + h.span.length, `${path}@${offset}`);
    const c = completionsAt(ws, path, offset);
    if (c) assert.ok(c.replace.offset >= 0 && c.replace.offset + c.replace.length <= text.length, `${path}@${offset}`);
  }
}

test('corpus key policies: hover and completion anywhere, and every action string has its hover', needs('corpus', corpusMissing(KEY_POLICIES)), () => {
  for (const file of walk(corpusPath(KEY_POLICIES), '.json')) {
    const text = fs.readFileSync(file, 'utf8');
    const ws = new Workspace();
    ws.updateFile(file, text);
    everyOffset(ws, file, text);
    for (const doc of ws.discovered(file)?.documents ?? []) {
      for (const s of readStatements(doc.root)) {
        for (const item of valueItems(s.elements.Action?.value)) {
          if (item.value === undefined) continue;
          const h = hoverAt(ws, file, doc.toFileOffset(item.node.offset + 1));
          assert.ok(h, `${file}: no hover on ${item.value}`);
          assert.equal(spanText(text, h.span), JSON.stringify(item.value));
        }
      }
    }
  }
});

test('corpus authorization details: hovers inside embedded and object documents land on the hovered string', needs('corpus', corpusMissing(AUTH_DETAILS)), () => {
  const file = corpusPath(AUTH_DETAILS);
  const text = fs.readFileSync(file, 'utf8');
  const ws = new Workspace();
  ws.updateFile(file, text);
  everyOffset(ws, file, text);
  let hovered = 0;
  for (const doc of ws.discovered(file)?.documents ?? []) {
    for (const s of readStatements(doc.root)) {
      for (const item of valueItems(s.elements.Action?.value)) {
        if (item.value === undefined) continue;
        const inside = doc.toFileOffset(item.node.offset + 1);
        const h = hoverAt(ws, file, inside);
        assert.ok(h, `no hover on ${item.value}`);
        const node = findNodeAtOffset(doc.root, item.node.offset + 1);
        assert.equal(node, item.node);
        hovered++;
      }
    }
  }
  assert.ok(hovered > 0);
});
