import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardProcess } from '../../src/process-guard.js';
import { createRecordingLogger } from '../helpers/command-args.js';

describe('guardProcess', () => {
  it('logs an uncaught exception and an unhandled rejection by kind, never by message, until removed', () => {
    const target = new EventEmitter();
    const logger = createRecordingLogger();
    const unguard = guardProcess(logger, target);
    target.emit('uncaughtException', new TypeError('customer C123 balance 4521.77'));
    target.emit('unhandledRejection', new RangeError('value 88.1 out of range'));
    expect(logger.entries.map((e) => [e.level, (e.obj as { errorName?: string }).errorName])).toEqual([
      ['error', 'TypeError'],
      ['error', 'RangeError'],
    ]);
    expect(JSON.stringify(logger.entries)).not.toMatch(/C123|4521|88\.1/);
    unguard();
    expect(target.listenerCount('uncaughtException')).toBe(0);
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });
});
