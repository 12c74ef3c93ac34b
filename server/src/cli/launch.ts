#!/usr/bin/env node
/**
 * The CLI's entry (dist/cli.js). It runs the CLI bundle beside it (cli-main.js) with V8's code
 * cache when the build left one there (cli-main.js.cache, written by scripts/bundle.mjs after a
 * run over the examples): a short run then does not compile again the functions that run made
 * hot. V8 rejects a cache made by another Node version or for another bundle; the bundle is
 * then compiled as usual, with the same result.
 *
 * POLICY_HANDSHAKE_WRITE_CODE_CACHE=1 writes the cache at the end of the run instead (the build).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { createRequire, wrap } from 'module';
import { startEarly } from './early';

// The files to check are listed, and the parsing thread for many Terraform files started,
// before the bundle is loaded (see early.ts).
startEarly(process.argv.slice(2), process.cwd());

const file = path.join(__dirname, 'cli-main.js');
const cacheFile = `${file}.cache`;
const writeCache = process.env.POLICY_HANDSHAKE_WRITE_CODE_CACHE === '1';

let cachedData: Buffer | undefined;
if (!writeCache) {
  try { cachedData = fs.readFileSync(cacheFile); } catch { /* no cache: compiled as usual */ }
}
// The build writes the bundle in ASCII: read as Latin-1, the text needs no UTF-8 decoding (a
// megabyte of it, before the first line of the CLI runs).
const script = new vm.Script(wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData });
if (writeCache) process.once('exit', () => fs.writeFileSync(cacheFile, new Uint8Array(script.createCachedData())));

const bundle = { exports: {} as { start?: () => void }, filename: file, id: file, loaded: false };
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
run.call(bundle.exports, bundle.exports, createRequire(file), bundle, file, __dirname);
bundle.loaded = true;
bundle.exports.start?.();
