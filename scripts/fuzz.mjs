// Longer fuzzing than the test run: `npm run fuzz` (after a build), or
// `node scripts/fuzz.mjs [runs] [seed]`. POLICY_HANDSHAKE_FUZZ_RUNS / _SEED work too.
// The server fuzz takes a tenth of the runs (each case is a round trip); the oracle agreement
// test a fifth (each case is a generated workspace asked of the policy evaluator hundreds of times).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const runs = process.argv[2] ?? process.env.POLICY_HANDSHAKE_FUZZ_RUNS ?? '5000';
const seed = process.argv[3] ?? process.env.POLICY_HANDSHAKE_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const files = [
  ...['fuzzCore', 'adversarialWildcards', 'fuzzServer'].map((f) => `out/test/unit/robustness/${f}.test.js`),
  'out/test/unit/handshake/oracle.test.js',
];
const missing = files.filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`fuzz: ${missing.join(', ')} missing: run npm run build first`);
  process.exit(2);
}
console.log(`fuzz: ${runs} runs per property (server: ${Math.round(Number(runs) / 10)}, oracle workspaces: ${Math.round(Number(runs) / 5)}), seed ${seed}`);
const r = spawnSync(process.execPath, ['--require', './out/test/support/catalogData.js', '--test', '--test-reporter=spec', '--test-timeout=3600000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, POLICY_HANDSHAKE_FUZZ_RUNS: runs, POLICY_HANDSHAKE_FUZZ_SEED: seed },
});
if (r.status !== 0) console.error(`fuzz: failed; repeat with: node scripts/fuzz.mjs ${runs} ${seed}`);
process.exit(r.status ?? 1);
