import { describe, expect, it } from 'vitest';
import {
  BadInputError,
  CancelledError,
  ConfigError,
  fromErrorData,
  NotAllowedError,
  NotFoundError,
  SegbotError,
  StoredFormatError,
  TooLargeError,
  toErrorData,
  userMessage,
} from '../../src/errors.js';

/** Through structured cloning, as a worker's reply travels. */
const acrossThreads = (error: unknown): Error => fromErrorData(structuredClone(toErrorData(error)));

describe('toErrorData and fromErrorData', () => {
  it('bring every coded error back as the same class, code, message and hint', () => {
    const errors: SegbotError[] = [
      new BadInputError('Broken row.', {
        hint: 'Fix it.',
        location: { file: 'a.csv', line: 3, column: 'AGE' },
      }),
      new NotFoundError('No dataset yet.', 'Upload one.'),
      new NotAllowedError('Admins only.'),
      new SegbotError('conflict', 'Already running.', 'Wait.'),
      new TooLargeError('Too many rows.', 'Split the file.'),
      new ConfigError('PORT', 'must be a number', 'Set PORT=3000.'),
      new SegbotError('slack_api', 'Slack said no.'),
      new CancelledError('Stopped.', 'Try again.'),
      StoredFormatError.about('run parameters', 'k: expected a number'),
    ];
    for (const error of errors) {
      const back = acrossThreads(error);
      expect(back.constructor).toBe(error.constructor);
      expect(back).toMatchObject({ code: error.code, message: error.message, hint: error.hint });
      expect(userMessage(back)).toBe(userMessage(error));
    }
    const config = acrossThreads(errors[5]) as ConfigError;
    expect(config.variable).toBe('PORT');
  });

  it('give any other error back as its class name only, whatever its message quoted', () => {
    const back = acrossThreads(new TypeError('cannot read balance 1234.56 of C-0042'));
    expect(back.name).toBe('TypeError');
    expect(back.message).not.toMatch(/1234|C-0042/);
    expect(back.stack).not.toMatch(/1234|C-0042/);
    expect(userMessage(back)).toMatch(/^Something went wrong/);
  });

  it('treat an unknown code as an unknown error, not as a user-facing message', () => {
    const back = fromErrorData({ code: 'made_up', name: 'Weird Name!', message: 'secret 42', frames: [] });
    expect(back).not.toBeInstanceOf(SegbotError);
    expect(back.name).toBe('Error');
    expect(back.message).not.toContain('secret');
    expect(userMessage(fromErrorData(toErrorData('a thrown string')))).toMatch(/^Something went wrong/);
  });
});
