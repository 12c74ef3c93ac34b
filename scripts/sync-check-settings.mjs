// Writes one `policyHandshake.checks.<id>` setting per registered check into package.json.
// Run after `tsc -b` whenever a check is added: `node scripts/sync-check-settings.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { allCheckMetadata } = require('../out/server/src/core/checks/registry.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const props = pkg.contributes.configuration.properties;
for (const key of Object.keys(props)) if (key.startsWith('policyHandshake.checks.')) delete props[key];
// What each severity does in the editor (and the CLI, given `--check ID=LEVEL`), shown beside the choices in the Settings editor.
const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];
const SEVERITY_TEXT = {
  off: 'Not checked.',
  hint: 'Shown as faint dots under the text only; not listed in the Problems panel.',
  info: 'Listed in the Problems panel as information (blue).',
  warning: 'Listed in the Problems panel as a warning (yellow squiggle).',
  error: 'Listed in the Problems panel as an error (red squiggle); an error makes the CLI exit with 1.',
};
for (const m of allCheckMetadata().sort((a, b) => a.id.localeCompare(b.id))) {
  props[`policyHandshake.checks.${m.id}`] = {
    type: 'string',
    enum: SEVERITIES,
    enumDescriptions: SEVERITIES.map((s) => SEVERITY_TEXT[s] + (s === m.defaultSeverity ? ' (The default.)' : '')),
    default: m.defaultSeverity,
    scope: 'resource',
    markdownDescription: `**\`${m.id}\`**: ${m.summary}. How to report it: \`off\`, or the severity of the finding (default \`${m.defaultSeverity}\`). The CLI takes the same levels: \`--check ${m.id}=LEVEL\`. [What it flags and why](https://github.com/policy-handshake/policy-handshake/blob/main/docs/checks/${m.id}.md)`,
  };
}
writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${allCheckMetadata().length} check settings`);
