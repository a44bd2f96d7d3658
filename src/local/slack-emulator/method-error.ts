/** A Slack Web API error: answered as `{ ok: false, error, ...extra }`. */
export class SlackMethodError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}
