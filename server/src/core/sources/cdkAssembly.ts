/**
 * The CDK cloud assembly manifest (`cdk.out/manifest.json`, and `manifest.json` of nested
 * assemblies such as `cdk.out/assembly-Stage/`): which template file is which stack, and in
 * which environment (`aws://ACCOUNT/REGION`) it deploys. A stack of a fixed environment gives
 * its template the account, Region and partition; an environment-agnostic stack
 * (`unknown-account`, `unknown-region`) gives nothing for what it leaves open.
 */
import { parseJson } from '../json/jsonDocument';
import { properties, propValue, stringValue } from '../json/nodes';
import { partitionOf, type TemplateContext } from '../model/templateValues';

export const CDK_MANIFEST_NAME = 'manifest.json';

export interface CdkStack {
  /** The stack's name (`stackName` of its properties, else its artifact id). */
  name: string;
  /** The template file, as the workspace names it (beside the manifest). */
  template: string;
  /** What the environment says; empty for an environment-agnostic stack. */
  context: TemplateContext;
}

/** Whether a path is named like a cloud assembly manifest (its text says whether it is one). */
export function isCdkManifestName(path: string): boolean {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1) === CDK_MANIFEST_NAME;
}

/** A cheap screen: a file named like a cloud assembly manifest that lists stacks. */
export function mayBeCdkManifest(path: string, text: string): boolean {
  return isCdkManifestName(path) && text.includes('aws:cloudformation:stack');
}

const ENVIRONMENT = /^aws:\/\/([^/]*)\/(.*)$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The stacks a cloud assembly manifest lists with their templates; empty for any other
 * `manifest.json` (a web app manifest, a malformed file).
 */
export function readCdkManifest(path: string, text: string): CdkStack[] {
  if (!mayBeCdkManifest(path, text)) return [];
  const root = parseJson(text).root;
  const artifacts = propValue(root, 'artifacts');
  const out: CdkStack[] = [];
  for (const a of properties(artifacts)) {
    if (stringValue(propValue(a.value, 'type')) !== 'aws:cloudformation:stack') continue;
    const props = propValue(a.value, 'properties');
    const templateFile = stringValue(propValue(props, 'templateFile'));
    if (!templateFile || templateFile.includes('..') || /^([/\\]|[A-Za-z]:)/.test(templateFile)) continue;
    const context: TemplateContext = {};
    const env = ENVIRONMENT.exec(stringValue(propValue(a.value, 'environment')) ?? '');
    if (env && ACCOUNT.test(env[1])) context.account = env[1];
    if (env && REGION.test(env[2])) {
      context.region = env[2];
      context.partition = partitionOf(env[2]);
    }
    out.push({ name: stringValue(propValue(props, 'stackName')) ?? a.name, template: besides(path, templateFile), context });
  }
  return out;
}

/** A file named relative to the folder of `path`, with the same separator. */
function besides(path: string, name: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (i < 0) return name;
  return path.slice(0, i + 1) + name.replace(/[\\/]/g, path[i]);
}
