import { z } from 'zod';
import { validationError } from './errors';

/**
 * zod's own messages in zh-TW, for the checks a schema did not word itself ("expected number", "unrecognized key"):
 * field errors are shown to members on the card and to marketers in the console, never in English.
 * A message written in a schema still wins (zod prefers schema-level messages to this per-parse map).
 */
const zhTW = z.locales.zhTW().localeError;

/** Parse with a zod schema; on failure throw a 400 AppError listing every field problem. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input, { error: zhTW });
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
  );
}
