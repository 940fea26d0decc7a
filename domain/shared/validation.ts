import type { z } from 'zod';
import { validationError } from './errors';

/** Parse with a zod schema; on failure throw a 400 AppError listing every field problem. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
  );
}
