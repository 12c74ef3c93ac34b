/** Calls a function exported by an ES module script of `scripts/` (tests are CommonJS) in a child process, with JSON arguments and result. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export function callScriptFunction<T>(script: string, name: string, args: unknown[]): T | undefined {
  const code = `import { ${name} } from ${JSON.stringify(pathToFileURL(script).href)};
let input = ''; process.stdin.on('data', (d) => (input += d)); process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(${name}(...JSON.parse(input)) ?? null)); });`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { input: JSON.stringify(args), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) ?? undefined;
}
