import type { Check } from './check';

/** `Principal`/`NotPrincipal` in an identity policy: IAM rejects the policy. */
export const principalNotAllowed: Check = {
  id: 'principal-not-allowed',
  defaultSeverity: 'error',
  summary: 'Principal or NotPrincipal in an identity policy',
  kinds: ['iam-identity-policy'],
  run(ctx) {
    for (const s of ctx.statements) {
      for (const name of ['Principal', 'NotPrincipal'] as const) {
        const el = s.elements[name];
        if (el) {
          ctx.report(el.key, `${name} is not allowed in an identity policy: the policy applies to the identity it is attached to.`, {
            fixes: [{ title: `Remove ${name}`, id: 'remove-element', edits: [removePropertyEdit(ctx.doc.json.text, el.property)] }],
          });
        }
      }
    }
  },
};

/** An edit that removes one property of an object together with its separating comma. */
export function removePropertyEdit(text: string, property: { offset: number; length: number; parent?: { children?: { offset: number; length: number }[] } }) {
  const siblings = property.parent?.children ?? [];
  const i = siblings.findIndex((c) => c.offset === property.offset);
  if (i > 0) {
    const prev = siblings[i - 1];
    const start = prev.offset + prev.length;
    return { offset: start, length: property.offset + property.length - start, newText: '' };
  }
  if (i === 0 && siblings.length > 1) {
    const next = siblings[1];
    return { offset: property.offset, length: next.offset - property.offset, newText: '' };
  }
  return { offset: property.offset, length: property.length, newText: '' };
}
