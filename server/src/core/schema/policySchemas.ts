/**
 * The JSON Schemas of `schemas/` (policy grammar per kind, workspace manifest), compiled
 * with ajv once per process, on first use.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { PolicyKind } from '../model/policyDocument';

export const SCHEMA_BASE_URI = 'https://raw.githubusercontent.com/policy-handshake/policy-handshake/main/schemas/';

const POLICY_SCHEMA_FILES: Record<PolicyKind, string> = {
  'kms-key-policy': 'key-policy.schema.json',
  'iam-identity-policy': 'identity-policy.schema.json',
  'iam-trust-policy': 'trust-policy.schema.json',
  unknown: 'policy-common.schema.json',
};
const SCHEMA_FILES = [...new Set(Object.values(POLICY_SCHEMA_FILES)), 'manifest.schema.json'];

/**
 * Where `schemas/` is: the folder above the bundle (`dist/`) or above the compiled
 * sources (`out/server/src/core/schema/`), whichever holds it first.
 */
export function schemaDirectory(): string {
  const fromEnv = process.env.POLICY_HANDSHAKE_SCHEMAS;
  if (fromEnv && fs.existsSync(path.join(fromEnv, SCHEMA_FILES[0]))) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'policy-common.schema.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`The policy schemas (schemas/*.schema.json) were not found above ${__dirname}.`);
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    const a = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false, logger: false });
    // Annotations VS Code understands; ajv only needs to know they are not typos.
    a.addVocabulary(['errorMessage', 'patternErrorMessage', 'markdownDescription', 'defaultSnippets']);
    const dir = schemaDirectory();
    for (const file of SCHEMA_FILES) a.addSchema(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as object);
    ajv = a;
  }
  return ajv;
}

function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = instance().getSchema(ref) as ValidateFunction | undefined;
    if (!v) throw new Error(`No schema ${ref}`);
    compiled.set(ref, v);
  }
  return v;
}

/** The validator of a whole policy document of that kind (the generic grammar for `unknown`). */
export function policyValidator(kind: PolicyKind): ValidateFunction {
  return validator(SCHEMA_BASE_URI + POLICY_SCHEMA_FILES[kind]);
}

/** The validator of one statement of a policy of that kind. */
export function statementValidator(kind: PolicyKind): ValidateFunction {
  return validator(`${SCHEMA_BASE_URI}${POLICY_SCHEMA_FILES[kind]}#/definitions/statement`);
}

/** The validator of the workspace manifest, `policy-handshake.json`. */
export function manifestValidator(): ValidateFunction {
  return validator(SCHEMA_BASE_URI + 'manifest.schema.json');
}
