import pino, { type Logger } from 'pino';

/**
 * One root logger; modules take a child (`logger.child({ module: 'points' })`).
 * Tokens, secrets, signatures, cookies and phone numbers are redacted wherever they appear.
 */
const redactPaths = [
  'token', '*.token', 'accessToken', '*.accessToken', 'channelAccessToken', '*.channelAccessToken',
  'channelSecret', '*.channelSecret', 'idToken', '*.idToken', 'id_token', '*.id_token', 'password', '*.password',
  'apiKey', '*.apiKey', 'secret', '*.secret', 'phone', '*.phone', 'replyToken', '*.replyToken',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-line-signature"]', 'req.headers["x-api-key"]',
  'headers.authorization', 'headers.cookie',
];

function level(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.JEST_WORKER_ID ? 'silent' : 'info';
}

export const rootLogger: Logger = pino({ level: level(), redact: { paths: redactPaths, censor: '[redacted]' } });

export function moduleLogger(module: string): Logger {
  return rootLogger.child({ module });
}

export type { Logger };
