/**
 * The getting-started walkthrough (contributes.walkthroughs): every step's media file exists,
 * and every command a step links to or completes on is one the extension contributes, a view
 * it contributes, or a command of VS Code itself.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string; altText?: string }; completionEvents?: string[] }
interface Pkg {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; title: string; steps: Step[] }[];
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Pkg;
/** Commands of VS Code the steps use. */
const BUILT_IN = new Set(['workbench.action.quickOpen', 'workbench.actions.view.problems', 'editor.action.quickFix']);
const views = Object.values(pkg.contributes.views).flat().map((v) => v.id);
const contributed = new Set([...pkg.contributes.commands.map((c) => c.command), ...views.map((v) => `${v}.focus`)]);

test('the walkthrough: open a policy, see a finding, create the manifest, see the handshake, narrow the trust', () => {
  assert.equal(pkg.contributes.walkthroughs.length, 1);
  assert.deepEqual(pkg.contributes.walkthroughs[0].steps.map((s) => s.id), ['openPolicy', 'seeFinding', 'createManifest', 'seeHandshake', 'applyFix']);
});

test('every walkthrough step has its media file, links to a command that exists and completes on an event that can happen', () => {
  for (const step of pkg.contributes.walkthroughs.flatMap((w) => w.steps)) {
    for (const file of [step.media.markdown, step.media.image].filter((f): f is string => !!f)) {
      assert.ok(fs.existsSync(path.join(repoRoot, file)), `${step.id}: ${file} does not exist`);
      if (file.endsWith('.md')) assert.match(fs.readFileSync(path.join(repoRoot, file), 'utf8'), /^# \S/, `${step.id}: ${file} starts with a heading`);
    }
    const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.equal(links.length, 1, `${step.id}: one command link`);
    for (const c of links) assert.ok(contributed.has(c) || BUILT_IN.has(c), `${step.id}: command ${c} is neither contributed nor VS Code's`);
    for (const e of step.completionEvents ?? []) {
      const [kind, arg] = e.split(':');
      if (kind === 'onCommand') assert.ok(contributed.has(arg) || BUILT_IN.has(arg), `${step.id}: ${e}`);
      else if (kind === 'onView') assert.ok(views.includes(arg), `${step.id}: ${e}`);
      // VS Code knows no onLanguage event here: it logs "Unknown completionEvent" and the step never completes.
      else {
        assert.equal(kind, 'onContext', `${step.id}: ${e} (VS Code's completion events: onCommand, onView, onContext, onLink, onSettingChanged, onEvent, onStepSelected, onExtensionInstalled)`);
        assert.match(e.slice('onContext:'.length), /^[\w.]+ == [\w.]+( \|\| [\w.]+ == [\w.]+)*$/, `${step.id}: ${e}`);
      }
    }
  }
});
