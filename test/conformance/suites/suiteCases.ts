/** What a suite loader returns: the cases to run and the inputs it leaves out, with why. */
import type { ConformanceCase } from '../types';

export interface SuiteCases {
  cases: ConformanceCase[];
  skipped: { name: string; reason: string }[];
}
