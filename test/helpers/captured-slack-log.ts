import { LogLevel } from '@slack/web-api';

/**
 * A Slack SDK logger that keeps the client's lines instead of printing them: tests that provoke
 * refusals on purpose read what the client said, and a green run prints no alarming error lines.
 */
export function capturedSlackLog() {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(`${level} ${args.map(String).join(' ')}`);
    };
  const logger = {
    debug() {},
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    setLevel() {},
    getLevel: () => LogLevel.INFO,
    setName() {},
  };
  return { logger, lines };
}
