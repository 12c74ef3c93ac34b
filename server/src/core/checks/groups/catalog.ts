/** Checks of the catalog group, in the order they run. */
import type { Check } from '../check';

export const catalogChecks: Check<any>[] = [];
