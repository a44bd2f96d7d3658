import { describe, expect, it } from 'vitest';
import { createFaultPlan } from '../../../../src/local/slack-emulator/faults.js';

describe('createFaultPlan', () => {
  it('uses each planned fault for its number of calls, in order, per method', () => {
    const plan = createFaultPlan();
    plan.add('chat.postMessage', { error: 'not_in_channel', times: 2 });
    plan.add('chat.postMessage', { retryAfter: 1 });
    plan.add('files.info', {});

    expect(plan.take('chat.update')).toBeUndefined();
    expect(plan.take('chat.postMessage')?.error).toBe('not_in_channel');
    expect(plan.take('chat.postMessage')?.error).toBe('not_in_channel');
    expect(plan.take('chat.postMessage')?.retryAfter).toBe(1);
    expect(plan.take('chat.postMessage')).toBeUndefined();
    expect(plan.take('files.info')).toEqual({ times: 0 });
    expect(plan.take('files.info')).toBeUndefined();
  });

  it('keeps the caller’s fault object unchanged', () => {
    const plan = createFaultPlan();
    const fault = { error: 'ratelimited', times: 1 };
    plan.add('auth.test', fault);
    plan.take('auth.test');
    expect(fault).toEqual({ error: 'ratelimited', times: 1 });
  });
});
