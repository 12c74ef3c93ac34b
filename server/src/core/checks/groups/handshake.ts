/** Checks of the handshake group, in the order they run. */
import type { Check } from '../check';
import { accessOutsideTrustedAccounts } from '../accessOutsideTrustedAccounts';
import { crossAccountActionIneffective } from '../crossAccountActionIneffective';
import { externalAccountUndescribed } from '../externalAccountUndescribed';
import { externalPrincipalWithoutGrant } from '../externalPrincipalWithoutGrant';
import { iamGrantConditionNeverHolds } from '../iamGrantConditionNeverHolds';
import { iamGrantExceedsKeyPolicy } from '../iamGrantExceedsKeyPolicy';
import { iamGrantWithoutKeyTrust } from '../iamGrantWithoutKeyTrust';
import { keyUsageOnAllKeys } from '../keyUsageOnAllKeys';
import { manifestCheck } from '../manifest';
import { principalNotFound } from '../principalNotFound';
import { rootPrincipalBroaderThanGrants } from '../rootPrincipalBroaderThanGrants';
import { rootPrincipalWithoutGrant } from '../rootPrincipalWithoutGrant';

export const handshakeChecks: Check<any>[] = [
  rootPrincipalWithoutGrant,
  externalAccountUndescribed,
  rootPrincipalBroaderThanGrants,
  externalPrincipalWithoutGrant,
  crossAccountActionIneffective,
  iamGrantWithoutKeyTrust,
  iamGrantExceedsKeyPolicy,
  iamGrantConditionNeverHolds,
  keyUsageOnAllKeys,
  accessOutsideTrustedAccounts,
  manifestCheck,
  principalNotFound,
];
