/* eslint-disable @nx/enforce-module-boundaries --
 * The unicorn-alert contract's captured examples are data, not code, and the domain package exports no path to them
 * (its "exports" is "." only). Importing them here, in one test fixture, keeps the tests on what health publishes;
 * once domain exports them (e.g. "./alert/examples/*"), these become package imports and this exception goes. */
import type { EventBridgeEvent } from 'aws-lambda';
import unicornBack from '../../../domain/src/alert/examples/unicorn-back.json';
import unicornSilent from '../../../domain/src/alert/examples/unicorn-silent.json';
import vitalCritical from '../../../domain/src/alert/examples/vital-critical.json';
import vitalLow from '../../../domain/src/alert/examples/vital-low.json';
import vitalRecovered from '../../../domain/src/alert/examples/vital-recovered.json';
/* eslint-enable @nx/enforce-module-boundaries */

export type AlertEvent = EventBridgeEvent<string, unknown>;

/** Every example `unicorn-alert` event, by file name. */
export const ALERT_EXAMPLES: readonly (readonly [string, AlertEvent])[] = [
  ['vital-low', vitalLow],
  ['vital-critical', vitalCritical],
  ['vital-recovered', vitalRecovered],
  ['unicorn-silent', unicornSilent],
  ['unicorn-back', unicornBack],
];

export { vitalLow };
