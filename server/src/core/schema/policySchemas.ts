/**
 * The validators of the JSON Schemas of `schemas/` (policy grammar per kind, workspace
 * manifest). They are compiled at build time (`scripts/compile-schemas.mjs`, ajv's
 * standalone code in `validators.generated.ts`): no process compiles schemas at start-up.
 */
import type { ValidateFunction } from 'ajv';
import type { PolicyKind } from '../model/policyDocument';
import * as generated from './validators.generated';
import { compile, type TreeValidator } from './treeValidator';

const validators = generated as unknown as Record<string, ValidateFunction>;

/** Export names of the generated module per kind (see scripts/compile-schemas.mjs). */
const POLICY_VALIDATORS: Record<PolicyKind, string> = {
  'kms-key-policy': 'keyPolicy',
  'iam-identity-policy': 'identityPolicy',
  'iam-trust-policy': 'trustPolicy',
  unknown: 'unknownPolicy',
};

function validator(name: string): ValidateFunction {
  const v = validators[name];
  if (typeof v !== 'function') throw new Error(`No generated validator ${name}: run node scripts/compile-schemas.mjs`);
  return v;
}

/** The validator of a whole policy document of that kind (the generic grammar for `unknown`). */
export function policyValidator(kind: PolicyKind): ValidateFunction {
  return validator(POLICY_VALIDATORS[kind]);
}

const BASE = 'https://raw.githubusercontent.com/policy-handshake/policy-handshake/main/schemas/';
const SCHEMA_FILES: Record<PolicyKind, string> = {
  'kms-key-policy': 'key-policy.schema.json',
  'iam-identity-policy': 'identity-policy.schema.json',
  'iam-trust-policy': 'trust-policy.schema.json',
  unknown: 'policy-common.schema.json',
};
const treeValidators = new Map<PolicyKind, TreeValidator | undefined>();

/**
 * The validator of a whole policy of that kind that reads the parse tree (see
 * treeValidator.ts): true for a valid document, otherwise false or undefined (then the
 * generated validator says why). Undefined when the schemas cannot be compiled for it.
 */
export function policyTreeValidator(kind: PolicyKind): TreeValidator | undefined {
  if (!treeValidators.has(kind)) treeValidators.set(kind, compile(generated.policySchemaDocuments as object[], BASE + SCHEMA_FILES[kind]));
  return treeValidators.get(kind);
}

/** The validator of one statement of a policy of that kind. */
export function statementValidator(kind: PolicyKind): ValidateFunction {
  return validator(`${POLICY_VALIDATORS[kind]}Statement`);
}

/** The validator of the workspace manifest, `policy-handshake.json`. */
export function manifestValidator(): ValidateFunction {
  return validator('manifest');
}
