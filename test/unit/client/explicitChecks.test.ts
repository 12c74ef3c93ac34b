/**
 * VS Code answers `workspace/configuration` with every declared setting, defaults included;
 * the client's middleware passes on only the `policyHandshake.checks.<id>` values set at some
 * level, so that the server can tell a check set to its default from one not set.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { explicitChecksMiddleware, keepExplicitChecks, type Inspected } from '../../../client/src/explicitChecks';

/** What VS Code answers for the section: every check, at its default unless set. */
const SECTION = { checks: { 'duplicate-sid': 'error', 'empty-array': 'warning', 'redundant-action': 'off', 'unknown-action': 'error' }, maxFileSize: 5242880, trace: { server: 'off' } };
/** What inspect says: duplicate-sid set to its default by the user, redundant-action off in the folder, unknown-action for JSON only. */
const SET: Record<string, Inspected> = {
  'checks.duplicate-sid': { globalValue: 'error' },
  'checks.empty-array': {},
  'checks.redundant-action': { workspaceFolderValue: 'off' },
  'checks.unknown-action': { workspaceLanguageValue: 'error' },
};

test('only the checks set at some level are kept; other settings stay', () => {
  assert.deepEqual(keepExplicitChecks(SECTION, (key) => SET[key]), {
    checks: { 'duplicate-sid': 'error', 'redundant-action': 'off', 'unknown-action': 'error' },
    maxFileSize: 5242880,
    trace: { server: 'off' },
  });
  assert.deepEqual(keepExplicitChecks({ checks: { 'empty-array': 'warning' } }, () => undefined), { checks: {} });
  assert.equal(keepExplicitChecks(null, () => undefined), null);
  assert.deepEqual(keepExplicitChecks({ maxFileSize: 1 }, () => undefined), { maxFileSize: 1 });
});

test('the middleware rewrites the policyHandshake items only, inspecting each at its scope', async () => {
  const scopes: (string | undefined)[] = [];
  const middleware = explicitChecksMiddleware((scope) => {
    scopes.push(scope);
    return (key) => SET[key];
  });
  const params = { items: [{ section: 'policyHandshake', scopeUri: 'file:///ws/keys/a.json' }, { section: 'editor' }, { section: 'policyHandshake' }] };
  const next = () => [SECTION, { tabSize: 2 }, SECTION];
  const result = await middleware.configuration!(params, undefined as never, next as never);
  const explicit = { 'duplicate-sid': 'error', 'redundant-action': 'off', 'unknown-action': 'error' };
  assert.deepEqual(result, [{ ...SECTION, checks: explicit }, { tabSize: 2 }, { ...SECTION, checks: explicit }]);
  assert.deepEqual(scopes, ['file:///ws/keys/a.json', undefined]);
});
