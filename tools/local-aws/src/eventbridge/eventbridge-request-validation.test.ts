import { InvalidEventPatternError } from '@wildrydes/adapters/eventbridge';
import { describe, expect, it, vi } from 'vitest';
import {
  busName,
  entryTime,
  EventBridgeApiError,
  paginate,
  requireList,
  toApiError,
  validateTarget,
  type Json,
} from './eventbridge-request-validation';
import { InvalidScheduleExpressionError } from './schedule-expression';

const HANDLER_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:notify-alert';

/** The error a check threw, so a table can compare codes and messages. */
function thrownBy(check: () => unknown): EventBridgeApiError {
  try {
    check();
  } catch (error) {
    if (error instanceof EventBridgeApiError) return error;
    throw error;
  }
  throw new Error('expected the check to refuse its input');
}

describe('busName', () => {
  it.each<[string, unknown, string]>([
    ['an absent name', undefined, 'default'],
    ['null', null, 'default'],
    ['an empty name', '', 'default'],
    ['a plain name', 'wildrydes', 'wildrydes'],
    ['a bus ARN', 'arn:aws:events:us-east-1:000000000000:event-bus/wildrydes', 'wildrydes'],
    ['a name that only contains the ARN marker', 'not-an-arn:event-bus/x', 'not-an-arn:event-bus/x'],
  ])('reads %s as %s', (_, nameOrArn, expected) => {
    // Act
    const name = busName(nameOrArn);

    // Assess
    expect(name).toBe(expected);
  });

  it('refuses a name that is not a string', () => {
    // Act
    const error = thrownBy(() => busName(42));

    // Assess
    expect(error.code).toBe('ValidationException');
  });
});

describe('validateTarget', () => {
  it.each<[string, Json]>([
    ['the whole envelope', { Id: 'notify', Arn: HANDLER_ARN }],
    ['a constant Input', { Id: 'notify', Arn: HANDLER_ARN, Input: '{"fixed":true}' }],
    ['the InputPath $', { Id: 'notify', Arn: HANDLER_ARN, InputPath: '$' }],
    ['a nested InputPath', { Id: 'notify', Arn: HANDLER_ARN, InputPath: '$.detail.name' }],
    ['AWS parameters it stores without applying', { Id: 'notify', Arn: HANDLER_ARN, RetryPolicy: { MaximumRetryAttempts: 1 } }],
  ])('accepts a target that takes %s, unchanged', (_, target) => {
    // Act
    const accepted = validateTarget(target);

    // Assess
    expect(accepted).toEqual(target);
  });

  it.each<[string, unknown, string]>([
    ['a non-object', 'notify', 'A target must be an object.'],
    ['a missing Id', { Arn: HANDLER_ARN }, "1 validation error detected: Value at 'id' failed to satisfy constraint: Member must not be null"],
    ['a missing Arn', { Id: 'notify' }, "1 validation error detected: Value at 'arn' failed to satisfy constraint: Member must not be null"],
    ['an Id with a space', { Id: 'no tify', Arn: HANDLER_ARN }, 'Target id "no tify" is not valid.'],
    ['an Id of 65 characters', { Id: 'x'.repeat(65), Arn: HANDLER_ARN }, `Target id "${'x'.repeat(65)}" is not valid.`],
    ['both Input and InputPath', { Id: 'notify', Arn: HANDLER_ARN, Input: '{}', InputPath: '$' }, 'Only one of Input, InputPath, or InputTransformer must be provided.'],
    ['an InputTransformer', { Id: 'notify', Arn: HANDLER_ARN, InputTransformer: { InputTemplate: '"x"' } }, 'InputTransformer is not supported by the local EventBridge.'],
    ['an Input that is not JSON', { Id: 'notify', Arn: HANDLER_ARN, Input: '{fixed' }, 'Input is not valid JSON text.'],
    ['an Input that is not a string', { Id: 'notify', Arn: HANDLER_ARN, Input: { fixed: true } }, 'Input must be a string.'],
    ['an InputPath with a filter', { Id: 'notify', Arn: HANDLER_ARN, InputPath: '$.detail[0]' }, 'InputPath $.detail[0] is not supported locally: use $ or $.a.b.'],
    ['an InputPath without $', { Id: 'notify', Arn: HANDLER_ARN, InputPath: 'detail' }, 'InputPath detail is not supported locally: use $ or $.a.b.'],
  ])('refuses %s with a ValidationException', (_, target, message) => {
    // Act
    const error = thrownBy(() => validateTarget(target));

    // Assess
    expect([error.code, error.message]).toEqual(['ValidationException', message]);
  });
});

describe('requireList', () => {
  it.each<[string, number]>([
    ['the minimum length', 1],
    ['the maximum length', 10],
  ])('accepts %s', (_, length) => {
    // Prepare
    const input = { Entries: Array.from({ length }, (__, i) => i) };

    // Act
    const list = requireList(input, 'Entries', 1, 10);

    // Assess
    expect(list).toBe(input.Entries);
  });

  it.each<[string, Json]>([
    ['an empty list', { Entries: [] }],
    ['one over the maximum', { Entries: Array.from({ length: 11 }, (_, i) => i) }],
    ['a missing list', {}],
    ['an object instead of a list', { Entries: { 0: 1 } }],
  ])('refuses %s, naming the member as AWS does', (_, input) => {
    // Act
    const error = thrownBy(() => requireList(input, 'Entries', 1, 10));

    // Assess
    expect([error.code, error.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10, inclusive",
    ]);
  });
});

describe('paginate', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it('walks every item in pages of Limit, with an opaque token between pages', () => {
    // Act
    const first = paginate(items, { Limit: 2 });
    const second = paginate(items, { Limit: 2, NextToken: first.NextToken });
    const last = paginate(items, { Limit: 2, NextToken: second.NextToken });

    // Assess
    expect([first.page, second.page, last.page]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(last).not.toHaveProperty('NextToken');
  });

  it('answers up to 100 items without a Limit', () => {
    // Act
    const { page, NextToken } = paginate(Array.from({ length: 101 }, (_, i) => i), {});

    // Assess
    expect([page.length, NextToken]).toEqual([100, expect.any(String)]);
  });

  it.each<[string, Json]>([
    ['a Limit of 0', { Limit: 0 }],
    ['a Limit over 100', { Limit: 101 }],
    ['a token that is not a number', { NextToken: Buffer.from('x').toString('base64url') }],
    ['a token for a negative start', { NextToken: Buffer.from('-1').toString('base64url') }],
    ['a token that is not a string', { NextToken: 2 }],
  ])('refuses %s', (_, input) => {
    // Act
    const error = thrownBy(() => paginate(items, input));

    // Assess
    expect(error.code).toBe('ValidationException');
  });
});

describe('entryTime', () => {
  it.each<[string, unknown, number | undefined]>([
    ['no Time', undefined, undefined],
    ['a null Time', null, undefined],
    ['epoch seconds, as the SDK sends them', 1_767_323_045, Date.UTC(2026, 0, 2, 3, 4, 5)],
    ['ISO text, as a hand-written request might', '2026-01-02T03:04:05Z', Date.UTC(2026, 0, 2, 3, 4, 5)],
  ])('reads %s', (_, value, expected) => {
    // Act
    const ms = entryTime(value);

    // Assess
    expect(ms).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['text that is not a date', 'yesterday'],
    ['a boolean', true],
    ['an infinite number', Infinity],
  ])('refuses %s as an InvalidArgument entry', (_, value) => {
    // Act
    const error = thrownBy(() => entryTime(value));

    // Assess
    expect(error.code).toBe('InvalidArgument');
  });
});

describe('toApiError', () => {
  it.each<[string, unknown, string, number]>([
    ['an API error, as it is', new EventBridgeApiError('LimitExceededException', 'too many'), 'LimitExceededException', 400],
    ['a bad pattern, with its AWS code', new InvalidEventPatternError('"source" must be inside a JSON array'), 'InvalidEventPatternException', 400],
    ['a bad schedule, with its AWS code', new InvalidScheduleExpressionError('rate(1 minutes)', 'use minute for 1'), 'ValidationException', 400],
  ])('answers %s', (_, error, code, statusCode) => {
    // Act
    const apiError = toApiError(error);

    // Assess
    expect([apiError.code, apiError.statusCode]).toEqual([code, statusCode]);
  });

  it('answers any other error as a logged InternalException with status 500', () => {
    // Prepare
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const apiError = toApiError(new TypeError('undefined is not a function'));
    const logged = log.mock.calls.length;
    log.mockRestore();

    // Assess
    expect([apiError.code, apiError.statusCode, apiError.message]).toEqual(['InternalException', 500, 'undefined is not a function']);
    expect(logged).toBe(1);
  });
});
