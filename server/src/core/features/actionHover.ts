/** Hover text for an action string: one action's catalog entry, or what a wildcard expands to. */
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { expandActionString, parseAction } from '../model/actionNames';
import { hasWildcard } from '../wildcard';

/** How many actions of a wildcard are listed before "and N more". */
/** Names a wildcard's hover lists before "and N more": enough to see what it means, short enough for one screen. */
export const WILDCARD_LIST_LIMIT = 12;
const KEY_LIST_LIMIT = 15;

function listWithMore(names: string[], limit: number): string {
  const shown = names.slice(0, limit).map((n) => `\`${n}\``).join(', ');
  return names.length > limit ? `${shown}, and ${names.length - limit} more` : shown;
}

/**
 * Condition keys that differ only by a number at the end (`kms:RecipientAttestation:PCR0` …
 * `PCR31`) shown as one entry, `kms:RecipientAttestation:PCR{0–31}`, where the numbers run
 * without a gap and there are at least three; the others as they are, in their order.
 */
export function groupNumberedKeys(keys: string[]): string[] {
  const stems = new Map<string, number[]>();
  for (const k of keys) {
    const m = /^(.*\D)(\d+)$/.exec(k);
    if (!m) continue;
    const list = stems.get(m[1]);
    if (list) list.push(Number(m[2]));
    else stems.set(m[1], [Number(m[2])]);
  }
  const grouped = new Map<string, string>();
  for (const [stem, numbers] of stems) {
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    if (sorted.length >= 3 && sorted[sorted.length - 1] - sorted[0] === sorted.length - 1) grouped.set(stem, `${stem}{${sorted[0]}–${sorted[sorted.length - 1]}}`);
  }
  const out: string[] = [];
  const shown = new Set<string>();
  for (const k of keys) {
    const m = /^(.*\D)(\d+)$/.exec(k);
    const g = m && grouped.get(m[1]);
    if (!g) { out.push(k); continue; }
    if (!shown.has(g)) { shown.add(g); out.push(g); }
  }
  return out;
}

function actionDetails(catalog: Catalog, a: ActionInfo): string[] {
  const lines = [`**${a.service}:${a.name}** — ${a.accessLevel}`, '', a.description];
  const types = a.resourceTypes.filter((rt) => rt.name);
  if (types.length) {
    lines.push('', 'Resource types:');
    for (const rt of types) {
      const arn = catalog.resourceType(a.service, rt.name)?.arn;
      lines.push(`- \`${rt.name}\`${rt.required ? ' (required)' : ''}${arn ? `: \`${arn}\`` : ''}`);
    }
  } else {
    lines.push('', 'Resource types: none (use `"Resource": "*"`).');
  }
  if (a.conditionKeys.length) lines.push('', `Condition keys: ${listWithMore(groupNumberedKeys(a.conditionKeys), KEY_LIST_LIMIT)}`);
  return lines;
}

export function actionMarkdown(catalog: Catalog, text: string): string {
  if (text === '*') return '**`*`**: every action of every service.';
  const parsed = parseAction(text);
  if (!parsed) return `\`${text}\` is not an action: write \`service:Action\`.`;
  const serviceWild = hasWildcard(parsed.service);
  if (!serviceWild && !catalog.hasService(parsed.service)) return `\`${parsed.service}\` is not a known service prefix.`;
  if (!serviceWild && !hasWildcard(parsed.name)) {
    const a = catalog.action(parsed.service, parsed.name);
    if (!a) return `\`${parsed.name}\` is not an action of ${serviceLabel(catalog, parsed.service)}.`;
    return actionDetails(catalog, a).join('\n');
  }
  const matches = expandActionString(catalog, text);
  if (!matches.length) return `**${text}** matches no action.`;
  const names = matches.map((a) => `${a.service}:${a.name}`).sort();
  const levels = new Map<string, number>();
  for (const a of matches) levels.set(a.accessLevel, (levels.get(a.accessLevel) ?? 0) + 1);
  // Most actions first; an action of two levels (`Permissions management, Write`) is one group, written with "and".
  const byLevel = [...levels].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([l, n]) => `${l.replace(/, /g, ' and ')} ${n}`).join(', ');
  return [
    `**${text}** matches ${matches.length} action${matches.length === 1 ? '' : 's'} (${byLevel}):`,
    '',
    listWithMore(names, WILDCARD_LIST_LIMIT),
  ].join('\n');
}

export function serviceLabel(catalog: Catalog, prefix: string): string {
  const name = catalog.serviceNames().get(prefix.toLowerCase());
  return name ? `${name} (\`${prefix}\`)` : `\`${prefix}\``;
}
