/**
 * The server's heap between reading a large workspace and publishing its findings
 * (`tightenHeapWhilePublishing`): what reading left for the garbage collector is collected
 * at once, in a process that was not started with `--expose-gc`. Run in a child process so
 * that the flags it sets stay there.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const HEAP = path.join(__dirname, '../../../server/src/runtime/heap.js');

const CHILD = `
const v8 = require('node:v8');
const { tightenHeapWhilePublishing } = require(${JSON.stringify(HEAP)});
// About 50 MB of small objects kept through young-generation collections (promoted), then dropped.
let kept = [];
for (let i = 0; i < 600000; i++) kept.push({ i, s: 'x' + i, a: [i, i + 1] });
for (let r = 0; r < 40; r++) { let junk = []; for (let i = 0; i < 50000; i++) junk.push({ r, i }); junk = undefined; }
const held = kept.length;
kept = undefined;
const before = v8.getHeapStatistics().used_heap_size;
const tight = tightenHeapWhilePublishing();
const after = v8.getHeapStatistics().used_heap_size;
tight.restore();
tight.restore();
process.stdout.write(JSON.stringify({ held, before, after, said: [tight.usedBefore, tight.usedAfter], gcExposed: typeof globalThis.gc }));
`;

test('tightenHeapWhilePublishing collects the old generation at once, without --expose-gc, and leaves no gc global behind', () => {
  const r = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { held: number; before: number; after: number; said: [number, number]; gcExposed: string };
  assert.equal(out.held, 600000);
  // The dropped objects were still in the heap before, and are gone after.
  assert.ok(out.before - out.after > 30e6, `freed ${(out.before - out.after) / 1e6} MB`);
  // What it says it freed (the server logs it) is what was freed, within what the call itself allocates.
  assert.ok(Math.abs(out.said[0] - out.before) < 1e6 && Math.abs(out.said[1] - out.after) < 1e6, JSON.stringify(out));
  assert.equal(out.gcExposed, 'undefined');
});

/**
 * `compileWithoutInlining`: functions optimized while it holds get no callee inlined; after
 * `restore`, the next one does again. V8 says what it inlines (`--trace-turbo-inlining`, on
 * stdout); the child marks where each stage starts.
 */
const INLINING = `
const { compileWithoutInlining } = require(${JSON.stringify(HEAP)});
function callee(x) { return x + 1; }
function before(x) { return callee(x) * 2; }
function during(x) { return callee(x) * 3; }
function after(x) { return callee(x) * 4; }
const optimize = (f) => { %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3); };
process.stdout.write('stage before\\n');
optimize(before);
const held = compileWithoutInlining();
process.stdout.write('stage during\\n');
optimize(during);
held.restore();
process.stdout.write('stage after\\n');
optimize(after);
`;

test('compileWithoutInlining: a function optimized while it holds has no callee inlined, before and after restore they are', () => {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-lazy-feedback-allocation', '--trace-turbo-inlining', '-e', INLINING], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const stages = r.stdout.split(/^stage /m).slice(1).map((s) => {
    const [name, ...lines] = s.split('\n');
    return [name, lines.filter((l) => /^Inlining 0x\S+ \{0x\S+ <SharedFunctionInfo callee>\} into /.test(l)).map((l) => /<SharedFunctionInfo (\w+)>\}$/.exec(l)?.[1])];
  });
  assert.deepEqual(stages, [['before', ['before']], ['during', []], ['after', ['after']]]);
});
