/**
 * A worker entry for the worker-thread tests: echoes, reports progress, throws coded and uncoded
 * errors, spins until it is terminated, or exits.
 */
import { BadInputError } from '../../src/errors.js';
import { serveRequests } from '../../src/worker-thread.js';

export type TestRequest =
  | { kind: 'echo'; text: string; steps: number }
  | { kind: 'bad-input' }
  | { kind: 'range-error'; secret: string }
  | { kind: 'spin' }
  | { kind: 'exit' };

serveRequests<TestRequest, string, number>((request, context) => {
  switch (request.kind) {
    case 'echo':
      for (let step = 1; step <= request.steps; step++) context.progress(step);
      return { value: request.text.toUpperCase() };
    case 'bad-input':
      throw new BadInputError('Row 3 has no id.', {
        hint: 'Fill in the id column.',
        location: { file: 'c.csv', line: 3 },
      });
    case 'range-error':
      throw new RangeError(`value ${request.secret} is out of range`);
    case 'spin':
      for (;;) {
        // Synchronous work that only terminating the thread can stop.
      }
    case 'exit':
      process.exit(3);
  }
});
