// Writes one `policyHandshake.checks.<id>` setting per registered check into package.json.
// Run after `tsc -b` whenever a check is added: `node scripts/sync-check-settings.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { allCheckMetadata } = require('../out/server/src/core/checks/registry.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const props = pkg.contributes.configuration.properties;
for (const key of Object.keys(props)) if (key.startsWith('policyHandshake.checks.')) delete props[key];
for (const m of allCheckMetadata().sort((a, b) => a.id.localeCompare(b.id))) {
  props[`policyHandshake.checks.${m.id}`] = {
    type: 'string',
    enum: ['off', 'hint', 'info', 'warning', 'error'],
    default: m.defaultSeverity,
    scope: 'resource',
    markdownDescription: `${m.summary}. [Docs](https://github.com/policy-handshake/policy-handshake/blob/main/docs/checks/${m.id}.md)`,
  };
}
writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${allCheckMetadata().length} check settings`);
