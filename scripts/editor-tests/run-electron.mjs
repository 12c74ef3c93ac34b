// Runs the extension-host test suite (out/test/editors/vscode/index.js) in desktop VS Code
// through @vscode/test-electron, which downloads VS Code into .vscode-test/ first. For machines
// that can reach Microsoft's download servers; CI uses run-code-server.mjs instead.
//
//   node scripts/editor-tests/run-electron.mjs [--version VERSION]   (default: stable)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({ options: { version: { type: 'string', default: 'stable' } } });

const workspace = mkdtempSync(join(tmpdir(), 'phvs-ws-'));
let code = 1;
try {
  code = await runTests({
    version: opts.version,
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'out', 'test', 'editors', 'vscode', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`VS Code tests failed: ${e instanceof Error ? e.message : e}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exitCode = code;
