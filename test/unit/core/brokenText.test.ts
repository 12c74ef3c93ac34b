/**
 * While a text has syntax errors, only what is certain is reported: the syntax errors, and the
 * findings of statements clear of them. Nothing is guessed across the broken region (a value
 * left out, a stray quote), which would name elements that are right there.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/workspace/workspace';

function findings(text: string): string[] {
  const ws = new Workspace();
  ws.updateFile('/p.json', text);
  return ws.findings('/p.json').map((f) => `${f.checkId} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
}

test('an Action left empty while typing: the syntax errors only, and the healthy statement\'s own finding', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": 
      "Resource": "*",
      "Sid": "A"
    },
    {
      "Effect": "Allow",
      "Action": "kms:Decrpyt",
      "Resource": "*"
    }
  ]
}`;
  assert.deepEqual(findings(text), ['json-syntax :', 'json-syntax ,', 'unknown-action Decrpyt']);
});

test('a stray quote: no "Unknown statement element", no "Missing Resource"', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      ": "x",
      "Resource": "*"
    }
  ]
}`;
  assert.deepEqual(findings(text).map((f) => f.split(' ')[0]), ['json-syntax', 'json-syntax']);
});

test('a comma missing between statements: the statement it cuts into is uncertain, the others are not', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:Encrpyt", "Resource": "*"}
    {"Effect": "Allow", "Action": "kms:Sgn", "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:Verfy", "Resource": "*"}
  ]
}`;
  assert.deepEqual(findings(text), ['json-syntax {', 'unknown-action Decrpyt', 'unknown-action Encrpyt', 'unknown-action Verfy']);
});

test('an error outside every statement: statements keep their findings, document-level ones are left out', () => {
  const text = `{
  "Statement": [
    {"Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*"}
  ]
  "Id": "x"
}`;
  // version-missing would be about the document as a whole: not certain while the top level is broken.
  assert.deepEqual(findings(text), ['json-syntax "Id"', 'unknown-action Decrpyt']);
});

test('an error between statements, outside both: both neighbours are uncertain', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:Encrpyt", "Resource": "*"}, ,
    {"Effect": "Allow", "Action": "kms:Sgn", "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:Verfy", "Resource": "*"}
  ]
}`;
  assert.deepEqual(findings(text), ['json-syntax ,', 'unknown-action Decrpyt', 'unknown-action Verfy']);
});

test('a trailing comma leaves the structure certain: the statement keeps its findings', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["kms:Decrpyt",],
    "Resource": "*"
  }]
}`;
  assert.deepEqual(findings(text), ['json-syntax ]', 'unknown-action Decrpyt']);
});
