import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import type { Statement } from '../model/policyDocument';
import { validatePolicy } from '../schema/validatePolicy';
import { duplicateKeyProblems } from '../model/duplicateKeys';
import { isBlockNode } from '../sources/hcl/hclEdits';
import { STATEMENT_ARGUMENTS, statementBlockProblems } from '../sources/hcl/policyDocumentBlock';

/**
 * Condition keys are case-insensitive: the same key spelled twice with different case in one
 * operator block is one key given twice, which IAM refuses. Reported on each later spelling.
 */
function reportCaseDuplicates(s: Statement, report: (at: JsonNode, message: string) => void): void {
  const ops = properties(s.elements.Condition?.value);
  for (let j = 0; j < ops.length; j++) {
    const op = ops[j];
    const first = new Map<string, string>();
    const ks = properties(op.value);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      const lower = k.name.toLowerCase();
      const seen = first.get(lower);
      if (seen === undefined) first.set(lower, k.name);
      else if (seen !== k.name) report(k.key, `The condition key ${k.name} appears more than once in ${op.name} with different capitalization (${seen}): condition keys are case-insensitive. Remove the duplicate.`);
    }
  }
}

/** The policy grammar of `schemas/` for the document's kind, reported at the offending node. */
export const schema: Check = {
  id: 'schema',
  defaultSeverity: 'error',
  summary: 'Violates the policy grammar: unknown element, wrong type, missing Effect/Action, bad Effect value',
  run(ctx) {
    // Terraform policy document blocks: their statements' arguments are HCL's.
    const text = ctx.doc.json.text;
    const blocks = ctx.doc.json.syntax === 'hcl' ? { is: (n: JsonNode) => isBlockNode(text, n), arguments: STATEMENT_ARGUMENTS } : undefined;
    const ps = validatePolicy(ctx.doc, blocks);
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      ctx.report(p.at, p.message, p.fixes ? { fixes: p.fixes } : undefined);
    }
    // What Terraform rejects in a statement block that its rendered policy cannot show (a string for a list, a block without a required argument).
    if (blocks) for (const s of ctx.statements) for (const p of statementBlockProblems(s.node)) ctx.report({ offset: p.offset, length: p.length }, p.message, p.fixes ? { fixes: p.fixes } : undefined);
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      reportCaseDuplicates(s, (at, message) => ctx.report(at, message));
    }
    // A key given twice in one object of a JSON policy: the last one is read (YAML's are
    // syntax errors of their own; HCL objects are left to Terraform).
    if (ctx.doc.json.syntax !== 'yaml' && ctx.doc.json.syntax !== 'hcl') {
      const dups = duplicateKeyProblems(ctx.doc.root, 'the policy');
      for (let i = 0; i < dups.length; i++) {
        const d = dups[i];
        ctx.report(d.node, d.message, { fixes: d.fixes, relatedHere: d.related.map((r) => ({ span: { offset: r.node.offset, length: r.node.length }, message: r.message })) });
      }
    }
  },
};
