import { Router } from 'express';
import type { AppDeps } from '../../server/deps';

/** /api/ingest routes (placeholder until the capability lands). */
export function createIngestApi(_deps: AppDeps): Router {
  return Router();
}
