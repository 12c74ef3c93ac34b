/**
 * A second, unrelated client: headless Neovim's built-in LSP client runs
 * test/editors/neovim/check.lua against the built server; the diagnostics it received
 * must carry the right codes, ranges and configured severity. Skipped without `nvim`.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/corpus';
import { markedDiagnostics } from './expect';
import { KEY_POLICY_MISSING_PRINCIPAL } from './fixtures';
import { makeWorkspace, SERVER_PATH, serverMissing } from './lspClient';
import { needsAll } from '../support/needs';

const CHECK_SCRIPT = path.join(repoRoot, 'test', 'editors', 'neovim', 'check.lua');

function nvimMissing(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'nvim not found: install Neovim (apt-get install neovim) to run the Neovim client test';
  return undefined;
}

interface NvimDiagnostic { code: string; source: string; severity: number; lnum: number; col: number; end_lnum: number; end_col: number }
interface NvimSymbol { name: string; detail?: string; children?: NvimSymbol[] }

test('Neovim: diagnostics with codes, ranges and configured severity; document symbols', needsAll(['build', serverMissing()], ['editors', nvimMissing()]), () => {
  const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);
  const root = makeWorkspace({ 'keys/app-data.json': key.text });
  try {
    const out = path.join(root, 'result.json');
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${CHECK_SCRIPT}`], {
      cwd: root,
      env: { ...process.env, PH_SERVER: SERVER_PATH, PH_ROOT: root, PH_FILE: path.join(root, 'keys/app-data.json'), PH_OUT: out },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : undefined;
    assert.equal(r.status, 0, `nvim exited with ${r.status}: ${result?.error ?? ''} ${r.stderr}`);
    const diagnostics = (result.diagnostics as NvimDiagnostic[]).filter((d) => d.code === 'principal-missing');
    // ASCII fixture: Neovim's byte columns equal the UTF-16 characters of the LSP ranges.
    assert.deepEqual(
      diagnostics.map((d) => ({ code: d.code, range: { start: { line: d.lnum, character: d.col }, end: { line: d.end_lnum, character: d.end_col } } })),
      key.expected,
    );
    assert.equal(diagnostics[0].source, 'policy-handshake');
    // `policyHandshake.checks.principal-missing = "warning"` in the Lua client's settings: Neovim's WARN is 2.
    assert.equal(diagnostics[0].severity, 2);
    const symbols = result.symbols as NvimSymbol[];
    assert.deepEqual(symbols[0].children?.map((c) => c.name), ['KeyAdmins', 'UseTheKey']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
