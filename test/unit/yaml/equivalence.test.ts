/**
 * Every YAML template of the corpus gives the same findings as its JSON form. The JSON form
 * is written here by the `yaml` library with a tag schema of its own (each short form as
 * its long form), independent of the product's YAML reader; each YAML finding must sit on
 * the node at the same JSON path as its JSON twin.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, type ScalarTag, type CollectionTag } from 'yaml';
import { checkText } from '../../../server/src/core/engine';
import type { Finding } from '../../../server/src/core/findings';
import type { JsonNode } from '../../../server/src/core/json/jsonDocument';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const SHORT = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'And', 'Or', 'Not', 'FindInMap',
  'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Transform', 'Length', 'ToJsonString', 'GetStackOutput'];
const longName = (s: string) => (s === 'Ref' || s === 'Condition' ? s : `Fn::${s}`);

/** The long forms as the library's custom tags: scalar, sequence and mapping forms of each. */
const TAGS: (ScalarTag | CollectionTag)[] = SHORT.flatMap((s) => [
  { tag: `!${s}`, identify: () => false, resolve: (str: string) => ({ [longName(s)]: s === 'GetAtt' ? [str.slice(0, str.indexOf('.')), str.slice(str.indexOf('.') + 1)] : str }) } as ScalarTag,
  { tag: `!${s}`, collection: 'seq', identify: () => false, resolve: (seq: any) => ({ [longName(s)]: seq.toJSON() }) } as unknown as CollectionTag,
  { tag: `!${s}`, collection: 'map', identify: () => false, resolve: (map: any) => ({ [longName(s)]: map.toJSON() }) } as unknown as CollectionTag,
]);

export function yamlToJson(text: string): string {
  const doc = parseDocument(text, { customTags: TAGS, merge: true });
  return JSON.stringify(doc.toJS({ maxAliasCount: -1 }), null, 2);
}

/**
 * The JSON paths (keys and indices) of the nodes whose range is exactly the span, outermost
 * first; when none is, of the deepest node that holds it. A block mapping of one pair spans
 * what its one property spans (no braces), so a YAML range may name several nodes.
 */
function pathsOf(root: JsonNode, offset: number, length: number): string[] {
  const exact: string[] = [];
  const out: (string | number)[] = [];
  let node: JsonNode = root;
  for (;;) {
    if (node.offset === offset && node.length === length) exact.push(out.join('/'));
    const next: JsonNode | undefined = node.children?.find((c) => c.offset <= offset && offset + length <= c.offset + c.length);
    if (!next) break;
    if (node.type === 'property') { if (next === node.children![0]) out.push('(key)'); }
    else if (node.type === 'array') out.push(node.children!.indexOf(next));
    else if (node.type === 'object') out.push(String(next.children![0].value));
    node = next;
  }
  return exact.length ? exact : [out.join('/')];
}

interface Described { key: string; paths: string[] }

function described(file: string, text: string): Described[] {
  const result = checkText(file, text);
  const root = result.discovered?.json.root;
  return result.findings.map((f: Finding) => ({ key: `${f.checkId} ${f.severity} ${f.message}`, paths: root ? pathsOf(root, f.span.offset, f.span.length) : [] }));
}

/** Pairs each JSON finding with a YAML finding of the same code, severity and message on a node at the same path; returns what is left unpaired on either side. */
function unpaired(yamlFindings: Described[], jsonFindings: Described[]): { yaml: string[]; json: string[] } {
  const left = [...yamlFindings];
  const json: string[] = [];
  for (const j of jsonFindings) {
    const path = j.paths[j.paths.length - 1];
    const i = left.findIndex((y) => y.key === j.key && y.paths.includes(path));
    if (i >= 0) left.splice(i, 1);
    else json.push(`${j.key} @ ${path}`);
  }
  return { yaml: left.map((y) => `${y.key} @ ${y.paths.join(' | ')}`), json };
}

// In CI (POLICY_HANDSHAKE_REQUIRE_CORPUS=1) a missing corpus fails these tests instead of skipping them.
const skip = needs('corpus', corpusMissing('cloudformation'));
/** The YAML templates (fragments cut out of documentation pages are not templates, and are not read). */
const files = walk(corpusPath('cloudformation')).filter((f) => {
  if (!/\.(ya?ml|template)$/.test(f)) return false;
  const text = fs.readFileSync(f, 'utf8');
  return !/^\s*\{/.test(text) && /^(AWSTemplateFormatVersion|Resources|Transform)\s*:/m.test(text);
});

test('the corpus has YAML templates', skip, () => {
  assert.ok(files.length >= 40, `${files.length} YAML templates`);
});

/** Whether the `yaml` library reads the text without an error (the test's own reading, not the product's). */
const readable = (text: string) => parseDocument(text, { customTags: TAGS, merge: true }).errors.length === 0;

test('a template the YAML library cannot read gets yaml-syntax findings only, and at least one; except an unclosed-quote error PyYAML does not make', skip, () => {
  const broken = files.filter((f) => !readable(fs.readFileSync(f, 'utf8')));
  assert.ok(broken.length > 0);
  let relaxed = 0;
  for (const file of broken) {
    const text = fs.readFileSync(file, 'utf8');
    const ids = checkText(file, text).findings.map((f) => f.checkId);
    if (ids.every((id) => id === 'yaml-syntax') && ids.length > 0) continue;
    // A quoted scalar whose continuation lines sit left of its key: strict YAML's first error is
    // the missing closing quote; the AWS CLI and cfn-lint (PyYAML) read it, and so does the
    // product (test/unit/checks/yaml-syntax.test.ts).
    const first = parseDocument(text, { customTags: TAGS, merge: true }).errors[0];
    assert.equal(first.code, 'MISSING_CHAR', `${file}: ${ids.join(', ')}`);
    assert.match(first.message, /^Missing closing ["']quote/);
    assert.ok(!ids.includes('yaml-syntax'), file);
    relaxed++;
  }
  assert.ok(relaxed < broken.length);
});

for (const file of files.filter((f) => readable(fs.readFileSync(f, 'utf8')))) {
  test(`same findings as JSON: ${path.relative(corpusPath('cloudformation'), file)}`, skip, () => {
    const text = fs.readFileSync(file, 'utf8');
    const yamlFindings = described(file, text);
    const jsonFindings = described(file.replace(/\.[^.]+$/, '.json'), yamlToJson(text));
    // yaml-syntax warnings are about the YAML itself (aliases, merge keys, tags such as !Rain::Embed that are no short form): JSON has none.
    assert.deepEqual(unpaired(yamlFindings.filter((f) => !f.key.startsWith('yaml-syntax warning ')), jsonFindings), { yaml: [], json: [] });
  });
}
