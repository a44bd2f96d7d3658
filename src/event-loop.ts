/**
 * Lets everything already waiting on the event loop run (I/O callbacks first: an incoming Slack
 * command is acknowledged here) before the caller goes on with more synchronous work.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
