/**
 * The validators of the JSON Schemas of `schemas/` (policy grammar per kind, workspace
 * manifest). They are compiled at build time (`scripts/compile-schemas.mjs`, ajv's
 * standalone code in `validators.generated.ts`): no process compiles schemas at start-up.
 */
import type { ValidateFunction } from 'ajv';
import type { PolicyKind } from '../model/policyDocument';
import * as generated from './validators.generated';

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

/** The validator of one statement of a policy of that kind. */
export function statementValidator(kind: PolicyKind): ValidateFunction {
  return validator(`${POLICY_VALIDATORS[kind]}Statement`);
}

/** The validator of the workspace manifest, `policy-handshake.json`. */
export function manifestValidator(): ValidateFunction {
  return validator('manifest');
}
