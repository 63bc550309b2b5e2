import { compileEventPattern, InvalidEventPatternError, type CompiledEventPattern } from '@wildrydes/adapters/eventbridge';
import { DEFAULT_BUS, type TargetState } from './event-bus-state';
import { InvalidScheduleExpressionError } from './schedule-expression';

/** A request body or one of its members, as the JSON 1.1 protocol sends it. */
export type Json = Record<string, unknown>;

/** An error answered as `{ "__type": code, "message": ... }`, as EventBridge does. */
export class EventBridgeApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'EventBridgeApiError';
  }
}

export const RESOURCE_NAME = /^[.\-_A-Za-z0-9]+$/;

// Only plain paths: InputPath is JSONPath in AWS, and anything richer would be silently misread here.
const INPUT_PATH = /^\$(\.[^.[\]]+)*$/;

/** Errors thrown below the API keep their AWS codes; anything else is a bug, logged and answered as a 500. */
export function toApiError(error: unknown): EventBridgeApiError {
  if (error instanceof EventBridgeApiError) return error;
  if (error instanceof InvalidEventPatternError || error instanceof InvalidScheduleExpressionError) {
    return new EventBridgeApiError(error.code, error.message);
  }
  console.error('local EventBridge: internal error', error);
  return new EventBridgeApiError('InternalException', error instanceof Error ? error.message : String(error), 500);
}

export function compilePatternOrThrow(pattern: string): CompiledEventPattern {
  try {
    return compileEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new EventBridgeApiError(error.code, error.message);
    throw error;
  }
}

/** Requests may name a bus or give its ARN; an absent name means the default bus. */
export function busName(nameOrArn: unknown): string {
  if (nameOrArn === undefined || nameOrArn === null || nameOrArn === '') return DEFAULT_BUS;
  if (typeof nameOrArn !== 'string') throw new EventBridgeApiError('ValidationException', 'EventBusName must be a string.');
  const marker = nameOrArn.indexOf(':event-bus/');
  return nameOrArn.startsWith('arn:') && marker >= 0 ? nameOrArn.slice(marker + ':event-bus/'.length) : nameOrArn;
}

export function requireString(input: Json, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new EventBridgeApiError('ValidationException', `1 validation error detected: Value at '${camel(field)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalString(input: Json, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new EventBridgeApiError('ValidationException', `${field} must be a string.`);
  return value;
}

export function requireList(input: Json, field: string, min: number, max: number): unknown[] {
  const value = input[field];
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    throw new EventBridgeApiError(
      'ValidationException',
      `1 validation error detected: Value at '${camel(field)}' failed to satisfy constraint: Member must have length between ${min} and ${max}, inclusive`,
    );
  }
  return value;
}

export function validateTarget(value: unknown): TargetState {
  if (typeof value !== 'object' || value === null) throw new EventBridgeApiError('ValidationException', 'A target must be an object.');
  const target = value as Json;
  const id = requireString(target, 'Id');
  requireString(target, 'Arn');
  if (!RESOURCE_NAME.test(id) || id.length > 64) throw new EventBridgeApiError('ValidationException', `Target id ${JSON.stringify(id)} is not valid.`);
  const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((field) => target[field] !== undefined);
  if (inputs.length > 1) {
    throw new EventBridgeApiError('ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided.');
  }
  // Refused rather than ignored, so a target that relies on it fails here instead of receiving the whole envelope.
  if (target.InputTransformer !== undefined) {
    throw new EventBridgeApiError('ValidationException', 'InputTransformer is not supported by the local EventBridge.');
  }
  const input = optionalString(target, 'Input');
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw new EventBridgeApiError('ValidationException', 'Input is not valid JSON text.');
    }
  }
  const inputPath = optionalString(target, 'InputPath');
  if (inputPath !== undefined && !INPUT_PATH.test(inputPath)) {
    throw new EventBridgeApiError('ValidationException', `InputPath ${inputPath} is not supported locally: use $ or $.a.b.`);
  }
  return target as TargetState;
}

/** The token is the next start index; callers treat it as opaque, as they must with AWS's. */
export function paginate<T>(items: readonly T[], input: Json): { page: T[]; NextToken?: string } {
  const limit = typeof input.Limit === 'number' ? input.Limit : 100;
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || limit < 1 || limit > 100) {
    throw new EventBridgeApiError('ValidationException', 'NextToken or Limit is not valid.');
  }
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return { page, ...(next === undefined ? {} : { NextToken: next }) };
}

/** The SDK sends `Time` as epoch seconds; accept ISO text too for hand-written requests. */
export function entryTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new EventBridgeApiError('InvalidArgument', 'Parameter Time is not valid.');
  return ms;
}

function camel(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}
