/**
 * Every test or suite that cannot run without something outside the repository (the shared
 * corpus, an editor, a built bundle) says so through this module. When the input is missing:
 *
 * - with its `POLICY_HANDSHAKE_REQUIRE_*` flag set (CI), the test fails with the reason;
 * - otherwise it is skipped, and one line on stderr says which test file skipped what and why,
 *   so that a local run that exits 0 does not hide it.
 */
import * as path from 'node:path';

/** What a test needs, and the environment variable that makes its absence a failure. */
export const REQUIRE_FLAGS = {
  corpus: 'POLICY_HANDSHAKE_REQUIRE_CORPUS',
  editors: 'POLICY_HANDSHAKE_REQUIRE_EDITORS',
  build: 'POLICY_HANDSHAKE_REQUIRE_BUILD',
} as const;
export type Need = keyof typeof REQUIRE_FLAGS;
const WHAT: Record<Need, string> = { corpus: 'the corpus', editors: 'an editor', build: 'a built bundle' };

export function required(need: Need): boolean {
  return process.env[REQUIRE_FLAGS[need]] === '1';
}

/** A missing built bundle is a failure in CI too (`npm test` builds first). */
function mustFail(need: Need): boolean {
  return required(need) || (need === 'build' && (required('corpus') || required('editors')));
}

const printed = new Set<string>();

function announce(need: Need, reason: string): void {
  // The test file, from test/ on (out/test/unit/x/y.test.js → test/unit/x/y.test.js).
  const argv1 = process.argv[1] ?? 'test';
  const at = argv1.lastIndexOf(`${path.sep}out${path.sep}test${path.sep}`);
  const file = at < 0 ? path.basename(argv1) : argv1.slice(at + 5);
  const line = `SKIPPED in ${file} (needs ${WHAT[need]}): ${reason} — set ${REQUIRE_FLAGS[need]}=1 to make this a failure`;
  if (printed.has(line)) return;
  printed.add(line);
  process.stderr.write(line + '\n');
}

export interface NeedOptions {
  skip?: string;
  signal?: AbortSignal;
}

/**
 * Options for `test(name, options, fn)` or `describe(name, options, fn)`: nothing when
 * `missing` is undefined (the input is there); a skip with a printed line when it is missing;
 * an already aborted signal (the test or suite fails with the reason and does not run) when
 * the matching flag is set.
 */
export function needs(need: Need, missing: string | undefined): NeedOptions {
  if (missing === undefined) return {};
  if (mustFail(need)) return { signal: AbortSignal.abort(new Error(`${missing} (${REQUIRE_FLAGS[need]}=1: missing ${WHAT[need]} is a failure)`)) };
  announce(need, missing);
  return { skip: missing };
}

/** The first of several needs that is missing, for a test that needs more than one thing. */
export function needsAll(...list: [Need, string | undefined][]): NeedOptions {
  for (const [need, missing] of list) if (missing !== undefined) return needs(need, missing);
  return {};
}

/**
 * For a need found out inside a running test (`t` is its context): throws when the flag is
 * set, otherwise prints the line and skips the rest of the test (the caller returns).
 */
export function skipInside(t: { skip(message?: string): void }, need: Need, missing: string): void {
  if (mustFail(need)) throw new Error(`${missing} (${REQUIRE_FLAGS[need]}=1: missing ${WHAT[need]} is a failure)`);
  announce(need, missing);
  t.skip(missing);
}
