import type { Check } from './check';

/**
 * Two statements with the same Sid. IAM requires unique Sids; KMS documents no such rule,
 * so in key policies the finding is a warning.
 */
export const duplicateSid: Check = {
  id: 'duplicate-sid',
  defaultSeverity: 'error',
  summary: 'Two statements share a Sid',
  run(ctx) {
    const taken = new Set(ctx.statements.map((s) => s.sid).filter((s): s is string => s !== undefined));
    const first = new Map<string, { offset: number; length: number }>();
    const counters = new Map<string, number>();
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      const node = s.elements.Sid?.value;
      if (s.sid === undefined || s.sid === '' || !node) continue;
      const earlier = first.get(s.sid);
      if (!earlier) {
        first.set(s.sid, { offset: node.offset, length: node.length });
        continue;
      }
      // A YAML alias (`- *statement`) repeats the anchored statement on the anchor's own text:
      // renaming it there renames both, so no fix is offered (yaml-syntax says to repeat the value).
      const alias = node.offset === earlier.offset;
      const renamed = alias ? s.sid : uniqueSid(s.sid, taken, counters);
      taken.add(renamed);
      const keyPolicy = ctx.doc.kind === 'kms-key-policy';
      ctx.report(node, keyPolicy
        ? `Another statement of this key policy already has the Sid "${s.sid}": rename one. KMS accepts it, but IAM and most tools expect unique Sids.`
        : `Another statement already has the Sid "${s.sid}": rename one. IAM requires Sids to be unique within a policy.`, {
        severity: keyPolicy ? 'warning' : undefined,
        relatedHere: [{ span: earlier, message: 'First statement with this Sid' }],
        fixes: alias ? undefined : [{ title: `Rename to "${renamed}"`, id: 'rename-sid', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(renamed) }] }],
      });
    }
  },
};

/**
 * `Sid2`, `Sid3`, … the first not taken. `counters` (per run) remembers where each Sid's
 * search stopped, so a Sid repeated thousands of times costs linear time, not quadratic.
 */
export function uniqueSid(sid: string, taken: Set<string>, counters?: Map<string, number>): string {
  for (let n = counters?.get(sid) ?? 2; ; n++) {
    const candidate = `${sid}${n}`;
    if (!taken.has(candidate)) {
      counters?.set(sid, n + 1);
      return candidate;
    }
  }
}
