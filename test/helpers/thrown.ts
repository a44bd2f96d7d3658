/**
 * The error a call throws, checked to be of the expected class, so a test can then read its
 * message and hint. Fails the test when nothing is thrown.
 */
import { expect } from 'vitest';

/** Runs `fn` and returns what it threw, after checking it is an instance of `type`. */
export function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}
