import { Router } from 'express';
import type { AppDeps } from '../../server/deps';

/** /api/member routes (placeholder until the capability lands). */
export function createMemberApi(_deps: AppDeps): Router {
  return Router();
}
