/**
 * One action name as written (`kms:Decrypt`, `s3:Get*`): its service and name parts, the
 * catalog actions it stands for, and a stable key. What such a string says is worked out
 * once per spelling in actionFacts.ts; the actions of a whole statement are in
 * knownActions.ts (checks), kmsActions.ts (the handshake's KMS action sets) and
 * features/conditionKeySupport.ts (completion and hover).
 */
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { hasWildcard } from '../wildcard';

export interface ParsedAction {
  /** Service prefix as written. */
  service: string;
  /** Action part as written (may contain wildcards). */
  name: string;
}

/** `kms:Decrypt` -> {service: 'kms', name: 'Decrypt'}; `*` -> {service: '*', name: '*'}; malformed -> undefined. */
export function parseAction(s: string): ParsedAction | undefined {
  if (s === '*') return { service: '*', name: '*' };
  const colon = s.indexOf(':');
  if (colon <= 0 || colon === s.length - 1 || s.indexOf(':', colon + 1) >= 0) return undefined;
  return { service: s.slice(0, colon), name: s.slice(colon + 1) };
}

/** Catalog actions an action string stands for (wildcards expanded, case-insensitive). */
export function expandActionString(catalog: Catalog, s: string): readonly ActionInfo[] {
  const a = parseAction(s);
  if (!a) return [];
  if (a.service === '*' || hasWildcard(a.service)) return catalog.expandAction(s);
  return hasWildcard(a.name) ? catalog.expandActionName(a.service, a.name) : [catalog.action(a.service, a.name)].filter((x): x is ActionInfo => !!x);
}

/** A stable key for an action: `service:name` in lower case. */
export function actionKey(a: ActionInfo): string {
  return `${a.service}:${a.name}`.toLowerCase();
}
