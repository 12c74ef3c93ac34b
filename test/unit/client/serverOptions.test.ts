/**
 * How the VS Code client starts the language server (`client/src/serverOptions.ts`): with the
 * server's node flags (`SERVER_NODE_FLAGS`), which this Node accepts and which shrink the young
 * generation; the README gives other editors the same command.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SERVER_NODE_FLAGS, serverOptions } from '../../../client/src/serverOptions';

const IPC = 1; // vscode-languageclient's TransportKind.ipc

test('the client runs dist/server.js over IPC with the server flags; the debug launch adds the inspector', () => {
  const options = serverOptions('/ext/dist/server.js', IPC) as Record<'run' | 'debug', { module: string; transport: number; options: { execArgv: string[] } }>;
  assert.deepEqual(options.run, { module: '/ext/dist/server.js', transport: IPC, options: { execArgv: ['--max-semi-space-size=8'] } });
  assert.deepEqual(options.debug, { module: '/ext/dist/server.js', transport: IPC, options: { execArgv: ['--max-semi-space-size=8', '--nolazy', '--inspect=6019'] } });
});

/** The young generation's largest size (MB) in a node started with `flags`. */
function youngGenerationMb(flags: readonly string[]): number {
  const script = "const v8 = require('v8'); process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))";
  // Filling the young generation first: it starts small and grows to its largest size.
  const fill = "let a = []; for (let i = 0; i < 2e6; i++) { a.push({ i }); if (a.length > 1e5) a = []; }";
  const r = spawnSync(process.execPath, [...flags, '-e', `${fill}; ${script}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, `node ${flags.join(' ')}: ${r.stderr}`);
  return Number(r.stdout) / (1 << 20);
}

test('this Node accepts the flags, and they halve the young generation', () => {
  const withFlags = youngGenerationMb(SERVER_NODE_FLAGS);
  const without = youngGenerationMb([]);
  assert.ok(withFlags > 0 && withFlags <= without / 2, `young generation ${withFlags} MB with the flags, ${without} MB without`);
});

test("the README's command for other editors is the client's", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  assert.ok(readme.includes(`\`node ${SERVER_NODE_FLAGS.join(' ')} dist/server.js --stdio\``), 'README.md gives the server command with the flags');
});
