import type { Check } from './check';
import type { Catalog } from '../catalog/catalog';
import { properties } from '../json/nodes';
import { isIntrinsic } from '../model/policyDocument';
import { editDistance, nearestName, typoLimit } from '../nearestName';

/** A condition key that is neither a key of its service nor a global key (keys are case-insensitive). */
export const unknownConditionKey: Check = {
  id: 'unknown-condition-key',
  defaultSeverity: 'error',
  summary: 'Condition key unknown to its service and not a global key',
  statementLocal: true,
  run(ctx) {
    const intrinsic = (n: Parameters<typeof isIntrinsic>[0]) => ctx.doc.allowsIntrinsics && isIntrinsic(n);
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      const condition = s.elements.Condition?.value;
      if (!condition || intrinsic(condition)) continue;
      const ops = properties(condition);
      for (let j = 0; j < ops.length; j++) {
        const op = ops[j];
        if (intrinsic(op.value)) continue;
        const ks = properties(op.value);
        for (let i = 0; i < ks.length; i++) {
          const k = ks[i];
          const key = k.name;
          const known = ctx.catalog.conditionKey(key);
          if (known) {
            // `kms:EncryptionContext:` or `aws:RequestTag/` matches the catalog key but names no context key or tag.
            const literal = emptyPlaceholderPrefix(known.key, key);
            if (literal !== undefined) {
              const part = /\/$/.test(literal) ? 'slash' : 'colon';
              ctx.report(k.key, `Incomplete condition key "${key}": the ${placeholderWhat(known.key)} after the ${part} is missing (write "${literal}name").`);
            }
            continue;
          }
          const colon = key.indexOf(':');
          const prefix = colon > 0 ? key.slice(0, colon) : '';
          // Web-identity providers' keys (`token.actions.githubusercontent.com:sub`, `oidc.eks….amazonaws.com/id/…:aud`) name any provider.
          if (/[./]/.test(prefix)) continue;
          const suggestion = suggestKey(ctx.catalog, key, prefix);
          let why: string;
          if (!prefix) why = `a condition key is written "service:name" or "aws:name"`;
          else if (prefix.toLowerCase() === 'aws') why = 'not a global condition key';
          else if (!ctx.catalog.hasService(prefix)) why = `no service has the prefix "${prefix}" and the key is not a global key`;
          else why = `not a key of ${prefix.toLowerCase()} nor a global key`;
          const message = `Unknown condition key "${key}": ${why}${suggestion ? `. Did you mean "${suggestion}"?` : '.'}`;
          ctx.report(k.key, message, suggestion ? {
            fixes: [{ title: `Change to "${suggestion}"`, id: 'replace-condition-key', isPreferred: true, edits: [{ offset: k.key.offset, length: k.key.length, newText: JSON.stringify(suggestion) }] }],
          } : undefined);
        }
      }
    }
  },
};

const PLACEHOLDER = /\$\{[^}]*\}|<[^>]*>|(?<=\/)tag-key$/;

/**
 * The nearest real key: among the service's keys and the global keys. Keys with a
 * placeholder (`aws:PrincipalTag/${TagKey}`) keep what was written after the separator.
 */
function suggestKey(catalog: Catalog, written: string, prefix: string): string | undefined {
  const keys = [...(prefix && catalog.hasService(prefix) ? catalog.conditionKeys(prefix) : []), ...catalog.globalConditionKeys()].map((k) => k.key);
  const candidates = new Set<string>();
  const colon = written.indexOf(':');
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const m = PLACEHOLDER.exec(k);
    if (!m) { candidates.add(k); continue; }
    const literal = k.slice(0, m.index);
    const sep = literal[literal.length - 1];
    const at = written.indexOf(sep, colon + 1);
    if (at < 0 || !sep) continue;
    candidates.add(literal + written.slice(at + 1));
  }
  const near = nearestName(written, candidates);
  return near && catalog.conditionKey(near) && typoClose(written, near) ? near : undefined;
}

/**
 * Whether the names after the prefix differ by a typo, not by whole words: a key that drops
 * words of the one written (aws:PrincipalOrgMasterAccountId, aws:PrincipalAccount) means
 * something else, and writing it would change what the condition tests.
 */
function typoClose(written: string, near: string): boolean {
  const name = (k: string) => k.slice(k.indexOf(':') + 1).toLowerCase();
  const w = name(written);
  return editDistance(w, name(near)) <= typoLimit(w);
}

/**
 * When `written` matches a catalog key with a placeholder (`kms:EncryptionContext:${EncryptionContextKey}`)
 * only by leaving the placeholder empty, the literal text written before it; otherwise undefined.
 */
function emptyPlaceholderPrefix(catalogKey: string, written: string): string | undefined {
  const m = PLACEHOLDER.exec(catalogKey);
  if (!m) return undefined;
  const literal = catalogKey.slice(0, m.index);
  const rest = catalogKey.slice(m.index + m[0].length);
  if (rest || written.length !== literal.length) return undefined;
  return written.toLowerCase() === literal.toLowerCase() ? written : undefined;
}

/** What a placeholder stands for, in words: a tag key, an encryption context key, … */
function placeholderWhat(catalogKey: string): string {
  if (/tag/i.test(catalogKey.slice(catalogKey.indexOf(':') + 1).replace(PLACEHOLDER, ''))) return 'tag key';
  if (/encryptioncontext/i.test(catalogKey)) return 'encryption context key';
  return 'name';
}
