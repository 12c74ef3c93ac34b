/**
 * What one action string of a policy says against the catalog (`kms:Decrypt`, `s3:Get*`),
 * worked out once per catalog and spelling. The same strings recur in statement after
 * statement and file after file, and several checks read each one: they look its facts up
 * by the whole string (one map read) instead of each splitting it and asking the catalog.
 */
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { detach } from '../strings';
import { hasWildcard } from '../wildcard';
import type { ValueItem } from './policyDocument';

export interface ActionFact {
  /** The string as written. */
  readonly value: string;
  /** Service prefix as written (`*` for the bare `*`). */
  readonly service: string;
  /** The part after the colon as written (`*` for the bare `*`). */
  readonly name: string;
  /** A hash of the string in lower case: facts whose strings differ only in case have the same one (others rarely do). */
  readonly lowerHash: number;
  /** The service prefix in lower case. */
  readonly serviceKey: string;
  readonly serviceWildcard: boolean;
  readonly nameWildcard: boolean;
  /** The catalog has the service (false for a service with wildcards). */
  readonly serviceKnown: boolean;
  /** The catalog's action, for a name without wildcards of a known service. */
  readonly action: ActionInfo | undefined;
}

/**
 * Per catalog: facts by spelling, undefined (stored as null) for a malformed string. Texts
 * can hold any spelling, so the map starts over when it holds MAX_FACTS; the catalog has
 * about 18,000 actions, the AWS managed policies about 15,000 distinct spellings.
 */
const factsByCatalog = new WeakMap<Catalog, Map<string, Fact | null>>();
const MAX_FACTS = 40_000;

/** The facts of an action string; undefined when it is not `*` or `service:name` (the schema's to report). */
export function actionFact(catalog: Catalog, value: string): ActionFact | undefined {
  // Every action string of every file comes here, nearly always for a fact already known: one
  // read of this module's own map (string keys only), the catalog's map kept from the last call.
  const facts = catalog === lastCatalog ? lastFacts! : factsOf(catalog);
  const known = facts.get(value);
  if (known !== undefined) return known ?? undefined;
  // The fact's strings are cut from the memo's copy of the string, not from the file's text
  // (the look-up above was the memo's: no second one).
  const copy = detach(value);
  const fact = readFact(catalog, copy);
  if (facts.size >= MAX_FACTS) facts.clear();
  facts.set(copy, fact);
  return fact ?? undefined;
}

/** The catalog the last fact was asked of, and its map (one catalog at a time in practice). */
let lastCatalog: Catalog | undefined;
let lastFacts: Map<string, Fact | null> | undefined;

function factsOf(catalog: Catalog): Map<string, Fact | null> {
  let facts = factsByCatalog.get(catalog);
  if (!facts) factsByCatalog.set(catalog, (facts = new Map()));
  lastCatalog = catalog;
  lastFacts = facts;
  return facts;
}

/** The facts of an item's value (see `actionFact`), kept with the item. */
export function itemActionFact(catalog: Catalog, item: ValueItem): ActionFact | undefined {
  if (item.value === undefined) return undefined;
  const kept = item.actionFact;
  if (kept === null) return undefined;
  if (kept !== undefined && (kept as Fact).catalog === catalog) return kept;
  const fact = actionFact(catalog, item.value);
  item.actionFact = fact ?? null;
  return fact;
}

/**
 * The catalog actions the string stands for (wildcards expanded, names compared
 * case-insensitively); shared, do not modify.
 */
export function actionExpansion(catalog: Catalog, fact: ActionFact): readonly ActionInfo[] {
  const f = fact as Fact;
  return (f.expansion ??= expand(catalog, f));
}

interface Fact extends ActionFact {
  catalog: Catalog;
  expansion: readonly ActionInfo[] | undefined;
}

const NOTHING: readonly ActionInfo[] = Object.freeze([]);

function readFact(catalog: Catalog, value: string): Fact | null {
  let service: string;
  let name: string;
  if (value === '*') {
    service = name = '*';
  } else {
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1 || value.indexOf(':', colon + 1) >= 0) return null;
    service = value.slice(0, colon);
    name = value.slice(colon + 1);
  }
  const serviceWildcard = hasWildcard(service);
  const nameWildcard = hasWildcard(name);
  const serviceKey = service.toLowerCase();
  const serviceKnown = !serviceWildcard && catalog.hasService(serviceKey);
  return {
    value,
    service,
    name,
    lowerHash: lowerCaseHash(value),
    serviceKey,
    serviceWildcard,
    nameWildcard,
    serviceKnown,
    action: serviceKnown && !nameWildcard ? catalog.action(serviceKey, name) : undefined,
    catalog,
    expansion: undefined,
  };
}

/** FNV-1a over the UTF-16 units of the string in lower case. */
export function lowerCaseHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    // ASCII letters are lowered here; a string with anything past ASCII is lowered as a whole.
    if (c > 0x7f) return hash(s.toLowerCase());
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, 16777619);
  }
  return h | 0;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}

function expand(catalog: Catalog, f: Fact): readonly ActionInfo[] {
  if (f.serviceWildcard) return Object.freeze(catalog.expandAction(f.value));
  if (!f.serviceKnown) return NOTHING;
  if (!f.nameWildcard) return f.action ? Object.freeze([f.action]) : NOTHING;
  return catalog.expandActionName(f.service, f.name);
}
