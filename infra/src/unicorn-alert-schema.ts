import { UNICORN_ALERT_SCHEMA } from '@wildrydes/domain';

/** The `unicorn-alert` JSON Schema (draft-04) as the domain publishes it, as registry content. */
export function unicornAlertSchemaText(): string {
  return JSON.stringify(UNICORN_ALERT_SCHEMA, null, 2);
}
