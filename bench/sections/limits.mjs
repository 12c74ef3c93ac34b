// Crafted inputs: what a hostile or broken file costs. A 10,000-statement policy, runaway
// nesting, huge arrays and strings through the full check set; adversarial wildcard
// patterns through the matchers and the action expansion. In-process, core bundle.
import { loadCore, runSection } from '../lib/context.mjs';
import { ms, now } from '../lib/proc.mjs';
import { metric } from '../lib/stats.mjs';

const policy = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 1);

export function manyStatements(n) {
  const statements = [];
  for (let i = 0; i < n; i++) {
    statements.push(i % 2
      ? { Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${String(100000000000 + i)}:root` }, Action: ['kms:Decrypt', 'kms:Encrypt', `kms:GenerateDataKey*`], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }
      : { Sid: `S${i}`, Effect: i % 3 ? 'Allow' : 'Deny', Action: ['s3:GetObject', 'kms:Decrypt', 'ec2:Describe*'], Resource: [`arn:aws:s3:::bucket-${i}/*`, `arn:aws:kms:us-east-1:111122223333:key/${i}`] });
  }
  return policy(statements);
}

await runSection(async ({ smoke }) => {
  const core = loadCore();
  const runs = smoke ? 1 : 5;
  const scale = smoke ? 0.01 : 1;
  const k = Math.round(2000 * scale) || 10;
  const crafted = [
    ['statements-10000', `${Math.round(10000 * scale)}-statement policy`, manyStatements(Math.round(10000 * scale))],
    ['same-sid', `${Math.round(10000 * scale)} statements sharing one Sid`, policy(Array.from({ length: Math.round(10000 * scale) }, () => ({ Sid: 'Same', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })))],
    ['deep-nesting', `nesting ${Math.round(100000 * scale)} levels`, '{"Version":"2012-10-17","Statement":' + '['.repeat(Math.round(100000 * scale)) + ']'.repeat(Math.round(100000 * scale)) + '}'],
    ['action-array', `Action array of ${Math.round(100000 * scale)} entries`, policy([{ Effect: 'Allow', Action: Array.from({ length: Math.round(100000 * scale) }, (_, i) => (i % 2 ? `kms:Decrypt` : `s3:Get${i}*`)), Resource: '*' }])],
    ['resource-array', `Resource array of ${Math.round(100000 * scale)} ARNs`, policy([{ Effect: 'Allow', Action: 'kms:*', Resource: Array.from({ length: Math.round(100000 * scale) }, (_, i) => `arn:aws:kms:us-east-1:111122223333:key/${i}*`) }])],
    ['huge-string', `one ${Math.round(4 * scale * 10) / 10} MB string`, policy([{ Sid: 'x'.repeat(Math.round(4e6 * scale)), Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }])],
    ['wildcard-actions', `${k} adversarial wildcard actions`, policy([{ Effect: 'Allow', Action: Array.from({ length: k }, (_, i) => `*:${'a*'.repeat(20)}${i}`), Resource: '*' }])],
    ['long-wildcard-action', 'one 100 KB wildcard action', policy([{ Effect: 'Allow', Action: [`*:${'a*'.repeat(Math.round(50000 * scale))}b`, `kms:${'?'.repeat(Math.round(100000 * scale))}`], Resource: '*' }])],
    ['long-wildcard-resource', 'long wildcard resources vs a key ARN', policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: [`arn:aws:kms:*:*:key/${'a*'.repeat(Math.round(50000 * scale))}b`, `${'*'.repeat(Math.round(100000 * scale))}`] }])],
  ];
  const metrics = [];
  const notes = [];
  for (const [id, label, text] of crafted) {
    const samples = [];
    const base = [];
    let findings = 0;
    let parseFails;
    for (let i = 0; i < runs; i++) {
      let t = now();
      // jsonc-parser itself overflows the stack on runaway nesting; the core's depth guard does not.
      try { core.parseTree(text, []); base.push(ms(t)); } catch (e) { parseFails = e.message; }
      t = now(); findings = core.checkText(`${id}.json`, text, { maxFileSize: 64 * 1024 * 1024 }).findings.length; samples.push(ms(t));
    }
    metrics.push(metric(`crafted-${id}-ms`, `check: ${label}`, 'ms', samples, { ...(base.length ? { baseline: { label: 'parseTree', samples: base } } : {}), target: { of: 'median', max: 1000, text: '< 1 s' } }));
    notes.push(`${id}: ${(text.length / 1e6).toFixed(2)} MB, ${findings} findings${parseFails ? `; parseTree alone throws: ${parseFails}` : ''}`);
  }
  // The matchers themselves on adversarial inputs.
  const n = Math.round(100000 * scale);
  const text = 'a'.repeat(n);
  const star = 'a*'.repeat(Math.round(1000 * scale) || 5) + 'b';
  const matchers = [
    ['match-astar', `matchesWildcard('a*'×${star.length >> 1}+'b', 'a'×${n})`, () => core.matchesWildcard(star, text)],
    ['match-astar-ci', 'same, ignoring case', () => core.matchesWildcard(star, text, true)],
    ['match-star-prefix', `matchesWildcard('*'+'a'×${Math.round(n / 10)}+'b', 'a'×${n})`, () => core.matchesWildcard('*' + 'a'.repeat(Math.round(n / 10)) + 'b', text)],
    ['intersect-astar', `wildcardsIntersect('a*'×${Math.round(2000 * scale)}+'b', '*a'×${Math.round(2000 * scale)}+'c')`, () => core.wildcardsIntersect('a*'.repeat(Math.round(2000 * scale)) + 'b', '*a'.repeat(Math.round(2000 * scale)) + 'c')],
    ['expand-all-services', `expandActionString('*:' + 'a*'×20 + 'b')`, () => core.expandActionString(core.defaultCatalog(), '*:' + 'a*'.repeat(20) + 'b')],
    ['expand-long', `expandActionString('*:' + 'a*'×${Math.round(5000 * scale)} + 'b')`, () => core.expandActionString(core.defaultCatalog(), '*:' + 'a*'.repeat(Math.round(5000 * scale)) + 'b')],
  ];
  for (const [id, label, fn] of matchers) {
    const samples = [];
    fn();
    for (let i = 0; i < runs; i++) { const t = now(); fn(); samples.push(ms(t)); }
    metrics.push(metric(`adversarial-${id}-ms`, label, 'ms', samples, { target: { of: 'median', max: 1000, text: '< 1 s' } }));
  }
  return { title: 'Crafted inputs (limits, adversarial wildcards)', metrics, notes };
});
