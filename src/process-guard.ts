/**
 * The last line of defence of a long-running segbot: an exception no handler caught, or a promise
 * rejection nobody awaited, is logged (its kind and where, never its message, which can quote
 * customer data) and the process keeps serving. Requests that fail are each answered or lost on
 * their own; one of them must not take every channel down. A supervisor (systemd, see the README)
 * still restarts segbot if it does stop.
 */
import type { Logger } from './logger.js';
import { safeErrorFields } from './slack/report-error.js';

/** Installs the handlers; returns a function that removes them. */
export function guardProcess(
  logger: Pick<Logger, 'error'>,
  target: NodeJS.EventEmitter = process,
): () => void {
  const onException = (error: unknown) => {
    logger.error(
      safeErrorFields(error, 'uncaught exception'),
      'an error escaped every handler; segbot keeps serving',
    );
  };
  const onRejection = (reason: unknown) => {
    logger.error(
      safeErrorFields(reason, 'unhandled rejection'),
      'a failed promise was not handled; segbot keeps serving',
    );
  };
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
