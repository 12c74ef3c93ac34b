/**
 * The shapes the conformance suite works with: cases read from other tools' fixtures, the
 * findings they expect, and how each expected finding fared against the product's findings.
 */
import type { EngineOptions } from '../../server/src/core/engine';

/**
 * Where a finding is. `statement` is the index in the policy's Statement list (bare policy
 * files); `resource` a CloudFormation logical id. Absent parts mean "anywhere in the file".
 */
export interface Place { statement?: number; resource?: string }

/** One finding another tool expects. `type` is that tool's finding id (its vocabulary). */
export interface Expected extends Place {
  type: string;
  /** Their JSON path or other pointer, for the report. */
  path?: string;
  /** Their JSON paths into the policy (`Statement/2/Resource/3`), where the tool gives them: compared with ours. */
  paths?: string[];
}

/** One input of a suite, with what the other tool says about it. */
export interface ConformanceCase {
  /** Suite id, as in mappings.json. */
  suite: string;
  /** Stable name: a path under the corpus, or `<file>#<test>` for cases cut out of a test file. */
  name: string;
  /** The text given to the engine and the file name it is given under. */
  file: string;
  text: string;
  /** Kind/owner/template binding, when the other tool was told what the policy is. */
  binding?: EngineOptions['binding'];
  /** How finely findings are compared. */
  granularity: 'file' | 'statement' | 'resource';
  expected: Expected[];
  /**
   * Their finding types whose presence or absence this case asserts. Findings of ours mapped
   * only from other types are not counted as additions here. Default: the whole vocabulary.
   */
  asserted?: string[];
  /** CloudFormation resource types by logical id (resource granularity). */
  resourceTypes?: Record<string, string>;
}

/** The product's finding, reduced to what the comparison needs. */
export interface Observed extends Place {
  checkId: string;
  /** The finding's index in the engine's result. */
  index: number;
  line: number;
  /** The JSON path of the finding's node in its policy document (`Statement/2/Resource/3`). */
  path?: string;
}

export type Outcome =
  | 'matched'
  /** Expected, mapped to checks of ours, not raised. */
  | 'missed'
  /** Mapped only to checks that are not registered yet. */
  | 'pending'
  /** Their type has no counterpart in the product (mappings.json says why). */
  | 'out-of-scope'
  /** On a CloudFormation resource type the product does not read. */
  | 'not-read'
  /** Their type is in no list of mappings.json: the vocabulary needs an entry. */
  | 'unmapped';

/** Why a difference is accepted: an entry of disagreements.json or known-gaps.json. */
export interface Explanation { kind: 'deliberate' | 'known-gap'; reason: string }

export interface ExpectedResult {
  expected: Expected;
  outcome: Outcome;
  checkIds: string[];
  explained?: Explanation;
  /** For a match: the finding of ours that satisfied it, and whether its JSON path or only its place agreed. */
  matchedBy?: { checkId: string; by: 'path' | 'place'; index: number };
  /**
   * Further findings of the same check whose JSON paths are among this expectation's paths: their
   * one finding names the covering item and the items it covers, ours is one per redundant item.
   */
  sameFinding?: number[];
}

export interface AddedResult { observed: Observed; explained?: Explanation }

export interface CaseResult {
  case: ConformanceCase;
  expected: ExpectedResult[];
  /** Findings of ours (mapped check ids only) that no expected finding accounts for. */
  added: AddedResult[];
  /**
   * Further findings of a check that satisfied an expected finding at the same place, outside
   * that finding's paths: each needs its explanation, as an addition does.
   */
  extra: AddedResult[];
  /** Files the engine found no policy document in although they expect findings. */
  error?: string;
}

export interface SuiteResult {
  suite: string;
  title: string;
  cases: CaseResult[];
  /** Cases left out, with the reason (YAML inputs, no stated expectation…). */
  skipped: { name: string; reason: string }[];
}
