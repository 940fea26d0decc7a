import { Router } from 'express';
import type { AppDeps } from '../../server/deps';

/** /r/<id> tracked-link redirects (placeholder until campaigns land). */
export function createTrackingRouter(_deps: AppDeps): Router {
  return Router();
}
