/**
 * The AppError family: a stable machine `code`, an HTTP status and a zh-TW message that is safe to show a
 * customer or a marketer. One Express middleware (server/http-errors.ts) turns these into
 * `{ error: { code, message, details? } }`; the bot turns them into a polite chat reply.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    /** zh-TW, shown to people. */
    readonly userMessage: string,
    readonly details?: unknown,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(code, 400, message, details);
export const unauthorized = (message = '請先登入。', code = 'unauthorized') => new AppError(code, 401, message);
export const forbidden = (message = '您沒有權限執行此操作。', code = 'forbidden') => new AppError(code, 403, message);
export const notFound = (message = '找不到資料。', code = 'not_found') => new AppError(code, 404, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(code, 409, message, details);

/** Field errors from a zod parse, shaped for `details`. */
export interface FieldError {
  path: string;
  message: string;
}

export function validationError(fields: FieldError[]): AppError {
  return new AppError('validation_failed', 400, '輸入資料有誤，請檢查標示的欄位。', { fields });
}
