/** Checks of the kms group, in the order they run. */
import type { Check } from '../check';

export const kmsChecks: Check<any>[] = [];
