import { Router } from 'express';
import type { AppDeps } from '../../server/deps';

/** /api/console routes (placeholder until the capability lands). */
export function createConsoleApi(_deps: AppDeps): Router {
  return Router();
}
