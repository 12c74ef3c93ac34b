/** Checks of the elements group, in the order they run. */
import type { Check } from '../check';

export const elementsChecks: Check<any>[] = [];
