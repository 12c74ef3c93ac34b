/** Checks of the kms group, in the order they run. */
import type { Check } from '../check';
import { aliasAsKeyResource } from '../aliasAsKeyResource';
import { allowWithNotPrincipal } from '../allowWithNotPrincipal';
import { keyPolicyCharacter } from '../keyPolicyCharacter';
import { keyPolicyResourceNotStar } from '../keyPolicyResourceNotStar';
import { kmsWildcardAction } from '../kmsWildcardAction';
import { lockoutRisk } from '../lockoutRisk';
import { policyTooLarge } from '../policyTooLarge';
import { publicKeyPolicy } from '../publicKeyPolicy';
import { redundantAction } from '../redundantAction';
import { servicePrincipalWithoutSource } from '../servicePrincipalWithoutSource';
import { statementHasNoEffect } from '../statementHasNoEffect';
import { uniqueIdPrincipal } from '../uniqueIdPrincipal';

export const kmsChecks: Check<any>[] = [
  policyTooLarge,
  keyPolicyCharacter,
  publicKeyPolicy,
  lockoutRisk,
  kmsWildcardAction,
  keyPolicyResourceNotStar,
  statementHasNoEffect,
  allowWithNotPrincipal,
  uniqueIdPrincipal,
  servicePrincipalWithoutSource,
  aliasAsKeyResource,
  redundantAction,
];
