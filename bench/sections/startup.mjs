// 5. Start-up: server process start to the first diagnostics of one open key policy,
//    against a bare `node -e ''`, and of a key policy that names 30 services (each read from
//    the cold catalog: issue 19's editor figure); and the core's cold start, showing the
//    catalog loads per service on demand.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus, dist, loadCore, runSection } from '../lib/context.mjs';
import { measureCommand } from '../lib/proc.mjs';
import { startServer } from '../lib/serverBench.mjs';
import { metric } from '../lib/stats.mjs';

const FALLBACK_KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'EnableIamUserPermissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'AllowUse', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
  ],
}, null, 2);

await runSection(async ({ smoke }) => {
  const runs = smoke ? 1 : 9;
  const sample = join(corpus, 'kms-key-policies', 'aws-kms-developer-guide', 'full-key-policies');
  const tmp = mkdtempSync(join(tmpdir(), 'ph-bench-start-'));
  const keyPath = join(tmp, 'key-policy.json');
  writeFileSync(keyPath, pickKeyPolicy(sample) ?? FALLBACK_KEY_POLICY);
  const text = readFileSync(keyPath, 'utf8');
  try {
    const nodeOnly = [];
    const core = [];
    let coreInfo = '';
    for (let i = 0; i < runs; i++) {
      nodeOnly.push((await measureCommand(process.execPath, ['-e', ''])).wallMs);
      // Core cold start in a fresh process: require the bundle and check the key policy once.
      const script = `const t0=process.hrtime.bigint();const c=require(${JSON.stringify(join(dist, 'bench', 'core.js'))});const r=c.checkText(${JSON.stringify(keyPath)},require('fs').readFileSync(${JSON.stringify(keyPath)},'utf8'));const cat=c.defaultCatalog();console.log(JSON.stringify({ms:Number(process.hrtime.bigint()-t0)/1e6,findings:r.findings.length,loaded:cat.loadedServiceCount(),services:cat.serviceNames().size}))`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      const info = JSON.parse(r.stdout);
      core.push(info.ms);
      coreInfo = `core: first check loaded ${info.loaded} of ${info.services} catalog services (${info.findings} findings)`;
    }
    const metrics = [metric('startup-core-ms', 'core require + first key-policy check (fresh process)', 'ms', core)];
    const notes = [coreInfo];
    // The catalog's cold cost for a policy that names 200 services: in a fresh process, the
    // core required first, then 200 services (every other one) asked for their actions, and
    // one action's resource types and condition keys read, as the checks read them. CPU time
    // of that part alone (the process's other work and the machine's load aside).
    const catalogScript = `const c=require(${JSON.stringify(join(dist, 'bench', 'core.js'))});const cpu=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000};const t0=cpu(),w0=process.hrtime.bigint();const cat=new c.Catalog();const pick=[...cat.serviceNames().keys()].filter((_,i)=>i%2===0).slice(0,200);for(const s of pick){const a=cat.actions(s)[0];if(a){a.resourceTypes;a.conditionKeys}}console.log(JSON.stringify({cpu:cpu()-t0,wall:Number(process.hrtime.bigint()-w0)/1e6,loaded:cat.loadedServiceCount()}))`;
    const catalogCpu = [], catalogWall = [];
    let loaded = 0;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ['-e', catalogScript], { encoding: 'utf8' });
      const info = JSON.parse(r.stdout);
      catalogCpu.push(info.cpu); catalogWall.push(info.wall); loaded = info.loaded;
    }
    metrics.push(metric('startup-catalog-200-ms', `catalog, first use of ${loaded} services (fresh process, CPU time)`, 'ms', catalogCpu, { target: { of: 'median', max: 50, text: '< 50 ms' } }));
    metrics.push(metric('startup-catalog-200-wall-ms', `same, wall time`, 'ms', catalogWall));
    const first = [];
    const first30 = [];
    const init = [];
    let serverNote;
    const wide = thirtyServiceKeyPolicy();
    const widePath = join(tmp, 'key-policy-30-services.json');
    writeFileSync(widePath, wide.text);
    notes.push(`the 30-service key policy names ${wide.services.join(', ')}`);
    for (let i = 0; i < runs; i++) {
      let client;
      try {
        client = await startServer({});
      } catch (e) {
        serverNote = `server: unavailable: ${e.message}`;
        break;
      }
      try {
        init.push(Number(process.hrtime.bigint() - client.spawnedAt) / 1e6);
        const uri = client.open(keyPath, text, 1);
        const e = await client.waitForUri(uri, 10_000);
        first.push(Number(e.at - client.spawnedAt) / 1e6);
      } finally {
        await client.stop();
      }
      // A server of its own, so that the catalog is cold.
      const wideClient = await startServer({});
      try {
        const uri = wideClient.open(widePath, wide.text, 1);
        const e = await wideClient.waitForUri(uri, 10_000);
        first30.push(Number(e.at - wideClient.spawnedAt) / 1e6);
      } finally {
        await wideClient.stop();
      }
    }
    if (first.length) {
      metrics.push(metric('startup-server-ms', 'server spawn→first diagnostics (one key policy)', 'ms', first, {
        baseline: { label: "node -e ''", samples: nodeOnly },
        target: { of: 'median', max: 400, text: '< 400 ms' },
      }));
      metrics.push(metric('startup-server-30-ms', 'server spawn→first diagnostics, key policy naming 30 services (cold catalog)', 'ms', first30, {
        baseline: { label: "node -e ''", samples: nodeOnly },
        target: { of: 'median', max: 300, text: '< 300 ms' },
      }));
      metrics.push(metric('startup-initialize-ms', 'server spawn→initialize answered', 'ms', init));
    } else {
      metrics.push(metric('startup-node-ms', "node -e '' (baseline only)", 'ms', nodeOnly));
    }
    if (serverNote) notes.push(serverNote);
    if (existsSync(join(dist, 'server.js'))) notes.push(`dist/server.js ${(readFileSync(join(dist, 'server.js')).length / 1024).toFixed(0)} KB`);
    return { title: 'Start-up', metrics, notes };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * A key policy that names 30 services: the account's administration statement, and a statement
 * allowing another account one action of each of 30 services (every fifteenth service of the
 * catalog that has actions, by name), so that the first check reads 30 services.
 */
function thirtyServiceKeyPolicy() {
  const catalog = loadCore().defaultCatalog();
  const services = [...catalog.serviceNames().keys()].sort().filter((s, i) => i % 15 === 0 && catalog.actionNames(s).length > 0).slice(0, 30);
  if (services.length !== 30) throw new Error(`only ${services.length} services for the 30-service key policy`);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EnableIamUserPermissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'ThirtyServices', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/Reader' }, Action: services.map((s) => `${s}:${catalog.actionNames(s)[0]}`), Resource: '*' },
    ],
  };
  return { services, text: JSON.stringify(policy, null, 2) };
}

/** The KMS guide's default-style key policy (root, administrators, users, grants), if the corpus is there. */
function pickKeyPolicy(dir) {
  const preferred = join(dir, 'key-policy-overview__L96.json');
  if (existsSync(preferred)) return readFileSync(preferred, 'utf8');
  const name = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')).sort()[0] : undefined;
  return name ? readFileSync(join(dir, name), 'utf8') : undefined;
}
