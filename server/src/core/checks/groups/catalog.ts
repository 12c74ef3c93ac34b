/** Checks of the catalog group, in the order they run. */
import type { Check } from '../check';
import { actionWildcardMatchesNothing } from '../actionWildcardMatchesNothing';
import { schema } from '../schema';
import { unknownAction } from '../unknownAction';
import { unknownConditionKey } from '../unknownConditionKey';
import { unknownConditionOperator } from '../unknownConditionOperator';
import { unknownService } from '../unknownService';

export const catalogChecks: Check<any>[] = [
  schema,
  unknownService,
  unknownAction,
  actionWildcardMatchesNothing,
  unknownConditionOperator,
  unknownConditionKey,
];
