/**
 * The conformance data kept next to this code: the vocabulary mappings and the list of
 * deliberate disagreements. Read from the source tree (they are not compiled).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/corpus';

export interface Vocabulary {
  tool: string;
  mapped: Record<string, string[]>;
  outOfScope: Record<string, string>;
  communityAuditors?: string[];
}

export interface SuiteInfo {
  title: string;
  vocabulary: string;
  granularity: 'file' | 'statement' | 'resource';
  /** Inputs the other tool did not judge, by case name, with why. */
  exclude?: Record<string, string>;
}

export interface Mappings {
  vocabularies: Record<string, Vocabulary>;
  suites: Record<string, SuiteInfo>;
  notRun: Record<string, string>;
  cloudFormationTypesRead: string[];
}

/**
 * A case where the product disagrees with another tool on purpose. Exactly one of `theirs`
 * (they expect it, we do not raise it) and `ours` (we raise it, they do not expect it).
 */
export interface Disagreement {
  suite: string;
  /** The case name, or several cases the same reason covers. */
  case: string | string[];
  theirs?: string;
  ours?: string;
  /** The statements the difference is at (required in cases compared per statement). */
  statement?: number | number[];
  resource?: string;
  /**
   * For `ours`: the JSON paths (`Statement/0/Action/80`) of the findings it explains, where one
   * statement holds findings of the check that differ; each must still be raised there.
   */
  path?: string | string[];
  reason: string;
  /**
   * For a difference that comes from the catalogue's age: the services (`deeplens`), actions or
   * condition keys (`deepracer:UserToken`) that are not in the product's catalogue; a test checks they are not.
   */
  catalogAbsent?: string[];
  /** Set when loaded: `deliberate` (disagreements.json) or `known-gap` (known-gaps.json: a shortfall of ours to fix). */
  kind?: 'deliberate' | 'known-gap';
  /** known-gaps.json: the check or module the fix belongs to. */
  check?: string;
}

export const conformanceDir = path.join(repoRoot, 'test', 'conformance');

function readJson<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(conformanceDir, name), 'utf8')) as T;
}

export function loadMappings(): Mappings {
  return readJson<Mappings>('mappings.json');
}

/** disagreements.json (on purpose) and known-gaps.json (shortfalls of ours awaiting a fix), together. */
export function loadDisagreements(): Disagreement[] {
  return [
    ...readJson<Disagreement[]>('disagreements.json').map((d) => ({ ...d, kind: 'deliberate' as const })),
    ...readJson<Disagreement[]>('known-gaps.json').map((d) => ({ ...d, kind: 'known-gap' as const })),
  ];
}

export function disagreementCases(d: Disagreement): string[] {
  return Array.isArray(d.case) ? d.case : [d.case];
}

export function disagreementPaths(d: Disagreement): string[] | undefined {
  return d.path === undefined ? undefined : Array.isArray(d.path) ? d.path : [d.path];
}

export function vocabularyOf(mappings: Mappings, suite: string): Vocabulary {
  const info = mappings.suites[suite];
  if (!info) throw new Error(`suite ${suite} is not in mappings.json`);
  return mappings.vocabularies[info.vocabulary];
}
