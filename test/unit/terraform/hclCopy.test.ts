/**
 * The HCL tree as the reader gets it (`parseHcl`): the parser's tree copied into plain nodes
 * with one cursor. Checked against the parser's own node objects (web-tree-sitter's `Node`:
 * type, offsets, named, error and missing nodes, children) for every `.tf` file of the corpus
 * and for broken and deeply nested texts, and on a small text by hand.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Node as ParserNode, Tree } from 'web-tree-sitter';
import { parseHcl, type HclNode } from '../../../server/src/core/sources/hcl/hclSyntax';
import { loadHclParser } from '../../../server/src/runtime/hclParser';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

/** The parser's tree through its node objects, as plain nodes (MAX_DEPTH = 512 below the root). */
function throughNodes(n: ParserNode, depth: number): HclNode {
  const node: HclNode = { type: n.type, start: n.startIndex, end: n.endIndex, named: n.isNamed, children: [], broken: n.type === 'ERROR' || n.isMissing };
  if (depth > 512) { node.broken = true; return node; }
  for (const c of n.children) {
    if (!c) continue;
    const child = throughNodes(c, depth + 1);
    if (child.broken) node.broken = true;
    node.children.push(child);
  }
  return node;
}

async function reference(text: string): Promise<HclNode> {
  const parse = await loadHclParser();
  const tree = parse!(text) as unknown as Tree;
  try {
    return throughNodes(tree.rootNode, 0);
  } finally {
    tree.delete();
  }
}

test('a small text: types, offsets, named nodes and punctuation', () => {
  const text = 'locals {\n  a = [1, "x"]\n}\n';
  const root = parseHcl(text)!;
  const flat: [string, number, number, boolean][] = [];
  const visit = (n: HclNode) => { flat.push([n.type, n.start, n.end, n.named]); n.children.forEach(visit); };
  visit(root);
  assert.equal(root.broken, false);
  assert.deepEqual(flat.filter(([type]) => ['block', 'identifier', 'attribute', 'tuple', '[', ',', ']', 'numeric_lit', 'template_literal'].includes(type)), [
    ['block', 0, 25, true],
    ['identifier', 0, 6, true],
    ['attribute', 11, 23, true],
    ['identifier', 11, 12, true],
    ['tuple', 15, 23, true],
    ['[', 15, 16, false],
    ['numeric_lit', 16, 17, true],
    [',', 17, 18, false],
    ['template_literal', 20, 21, true],
    [']', 22, 23, false],
  ]);
});

test('broken and deep texts: error and missing nodes mark their ancestors broken; nesting beyond 512 is cut', async () => {
  const texts = [
    'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [ }\n}\n',
    'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Effect = "Allow"\n',
    'locals { a = "unterminated\n}\n',
    `locals {\n  deep = ${'['.repeat(600)}1${']'.repeat(600)}\n}\n`,
    `locals {\n  deep = ${'('.repeat(700)}1${')'.repeat(700)}\n}\n`,
    'é = "ü"\nlocals { b = "𝒳" }\n',
  ];
  for (const text of texts) {
    const copied = parseHcl(text)!;
    assert.deepEqual(copied, await reference(text), text.slice(0, 60));
  }
  assert.equal(parseHcl(texts[0])!.broken, true);
  assert.equal(parseHcl(texts[3])!.broken, true, 'cut below 512 levels');
});

test('texts without errors: whitespace and comments at the edges of the file, of blocks and of expressions; heredocs and templates', async () => {
  // A node's offsets below the root are its children's (the first's start, the last's end): these edges are where they could differ.
  const texts = [
    '\n\n  # leading comment\nlocals {\n  a = 1 # after\n  # last in body\n}\n\n# trailing comment\n\n',
    '/* block comment */ locals { /* inside */ b = [ /* first */ 1, 2 /* last */ ] }',
    'resource "aws_iam_policy" "p" {\n  policy = <<-EOT\n    {"Version": "2012-10-17"}\n  EOT\n  name = "a-${var.x}-b" // comment\n}\n',
    'locals {\n  c = { k = "v", "q" : 2, }\n  d = f(x...)\n  e = [for s in var.l : upper(s) if s != ""]\n}\n',
    '',
    '   \n\t\n',
  ];
  for (const text of texts) {
    const copied = parseHcl(text)!;
    assert.equal(copied.broken, false, JSON.stringify(text));
    assert.deepEqual(copied, await reference(text), JSON.stringify(text));
  }
});

test('every .tf file of the corpus is copied as the parser\'s node objects say', needs('corpus', corpusMissing('terraform/amboss-mededu__terraform-aws-kms')), async () => {
  const files = walk(corpusPath('terraform'), '.tf');
  assert.ok(files.length >= 130, `${files.length} .tf files`);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(parseHcl(text), await reference(text), file);
  }
});
