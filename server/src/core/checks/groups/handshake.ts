/** Checks of the handshake group, in the order they run. */
import type { Check } from '../check';

export const handshakeChecks: Check<any>[] = [];
