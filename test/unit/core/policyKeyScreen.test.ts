/**
 * One screen for "does this text name a policy key": the server indexes exactly the disk
 * files it passes, and the engine reports syntax errors of unclassifiable files exactly then.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { mayHoldPolicies } from '../../../server/src/lsp/diskFiles';

// Malformed texts whose parsed part is not a policy shape, each naming one key (or none).
const MALFORMED: [string, boolean][] = [
  ['{"Stack": {"KeyPolicy": {"Version": "2012-10-17",', true],
  ['{"Role": {"Policies": [', true],
  ['{"Detail": {"PolicyDocument": {', true],
  ['{"Export": {"UserDetailList": [', true],
  ['{"Export": {"GroupDetailList": [', true],
  ['{"x": {"Statement": [', true],
  ['{"name": "app", "dependencies": {', false],
  ['{"compilerOptions": {"strict": true', false],
];

test('the engine reports json-syntax for a malformed unclassified file exactly when the server would index it', () => {
  for (const [text, names] of MALFORMED) {
    const ids = checkText('/w/file.json', text).findings.map((f) => f.checkId);
    assert.equal(mayHoldPolicies('/w/file.json', text), names, text);
    assert.equal(ids.includes('json-syntax'), names, `${text}: ${ids.join(',')}`);
  }
});
