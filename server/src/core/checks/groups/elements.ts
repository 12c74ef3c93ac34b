/** Checks of the elements group, in the order they run. */
import type { Check } from '../check';
import { conditionKeyNotSupported } from '../conditionKeyNotSupported';
import { conditionValueType } from '../conditionValueType';
import { duplicateSid } from '../duplicateSid';
import { emptyArray } from '../emptyArray';
import { invalidArn } from '../invalidArn';
import { invalidPrincipal } from '../invalidPrincipal';
import { invalidSid } from '../invalidSid';
import { networkCondition } from '../networkCondition';
import { oidcTrustCondition } from '../oidcTrustCondition';
import { policyVariableSyntax } from '../policyVariableSyntax';
import { redundantResource } from '../redundantResource';
import { redundantStatement } from '../redundantStatement';
import { resourceTypeMismatch } from '../resourceTypeMismatch';
import { trustPolicyPrincipal } from '../trustPolicyPrincipal';
import { unscopedRolePermission } from '../unscopedRolePermission';
import { versionMissing } from '../versionMissing';
import { versionOutdated } from '../versionOutdated';

export const elementsChecks: Check<any>[] = [
  versionMissing,
  versionOutdated,
  duplicateSid,
  invalidSid,
  emptyArray,
  invalidPrincipal,
  invalidArn,
  resourceTypeMismatch,
  conditionKeyNotSupported,
  conditionValueType,
  networkCondition,
  policyVariableSyntax,
  redundantResource,
  redundantStatement,
  unscopedRolePermission,
  trustPolicyPrincipal,
  oidcTrustCondition,
];
