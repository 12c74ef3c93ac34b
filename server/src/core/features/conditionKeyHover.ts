/** Hover text for a condition key: its type and meaning, and which actions of the statement support it. */
import type { Catalog } from '../catalog/catalog';
import type { Statement } from '../model/policyDocument';
import { actionSupportsKey, statementCatalogActions } from './conditionKeySupport';

const ACTION_LIST_LIMIT = 10;

export function conditionKeyMarkdown(catalog: Catalog, key: string, statement: Statement | undefined): string {
  const info = catalog.conditionKey(key);
  if (!info) {
    const colon = key.indexOf(':');
    const prefix = colon > 0 ? key.slice(0, colon) : '';
    if (prefix && !catalog.hasService(prefix) && prefix.toLowerCase() !== 'aws') return `\`${key}\`: unknown condition key (\`${prefix}\` is not a known service prefix).`;
    return `\`${key}\`: unknown condition key.`;
  }
  const lines = [`**${info.key}** (${info.type})`];
  if (info.description) lines.push('', info.description);
  if (info.global) {
    lines.push('', 'Global condition key: it can be used with the actions of every service (present only in requests that carry it).');
    return lines.join('\n');
  }
  const { actions, tooMany } = statementCatalogActions(catalog, statement);
  if (tooMany) {
    lines.push('', 'The statement\'s actions are too many to check one by one.');
  } else if (actions.length) {
    const supporting = actions.filter((a) => actionSupportsKey(catalog, a, key)).map((a) => `${a.service}:${a.name}`).sort();
    if (!supporting.length) {
      lines.push('', 'No action of this statement supports this key: their requests do not carry it.');
    } else if (supporting.length === actions.length) {
      lines.push('', `Supported by every action of this statement (${supporting.length}).`);
    } else {
      const shown = supporting.slice(0, ACTION_LIST_LIMIT).map((n) => `\`${n}\``).join(', ');
      const more = supporting.length > ACTION_LIST_LIMIT ? `, and ${supporting.length - ACTION_LIST_LIMIT} more` : '';
      lines.push('', `Supported by ${supporting.length} of the statement's ${actions.length} actions: ${shown}${more}.`);
    }
  }
  return lines.join('\n');
}
