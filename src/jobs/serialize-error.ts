/**
 * Carries segbot's coded errors across a worker boundary: structured cloning keeps only plain
 * Error fields, so the class, hint and location are sent as data and the error is rebuilt.
 */
import {
  BadInputError,
  type ErrorCode,
  type InputLocation,
  NotAllowedError,
  NotFoundError,
  SegbotError,
  TooLargeError,
} from '../errors.js';

export interface SerializedError {
  name: string;
  message: string;
  code?: ErrorCode;
  hint?: string;
  location?: InputLocation;
  stack?: string;
}

/** Plain data describing an error, safe to post to another thread. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof SegbotError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
      ...(error instanceof BadInputError ? { location: error.location } : {}),
      ...(error.stack !== undefined ? { stack: error.stack } : {}),
    };
  }
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack !== undefined ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds the error: coded errors as their class (so userMessage shows them), others as Error. */
export function deserializeError(data: SerializedError): Error {
  let error: Error;
  switch (data.code) {
    case 'bad_input':
      error = new BadInputError(data.message, {
        ...(data.hint !== undefined ? { hint: data.hint } : {}),
        ...(data.location ? { location: data.location } : {}),
      });
      break;
    case 'not_found':
      error = new NotFoundError(data.message, data.hint);
      break;
    case 'not_allowed':
      error = new NotAllowedError(data.message, data.hint);
      break;
    case 'too_large':
      error = new TooLargeError(data.message, data.hint);
      break;
    case undefined:
      error = new Error(data.message);
      error.name = data.name;
      break;
    default:
      error = new SegbotError(data.code, data.message, data.hint);
  }
  if (data.stack) error.stack = data.stack;
  return error;
}
