import { Router } from 'express';
import { z } from 'zod';
import {
  countWouldEnter,
  createJourney,
  deleteJourney,
  getJourney,
  listJourneys,
  pauseJourney,
  resumeJourney,
  startTestRun,
  updateJourney,
} from '../../domain/journeys/journey.service';
import { lineUserIdSchema } from '../../shared/ids';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { consoleLocals, readOnlyRequest, requirePermission } from './console-context';

const DeleteQuerySchema = z.object({ members: z.enum(['exit']).optional() });
const TestRunSchema = z.object({ lineUserId: lineUserIdSchema });

/** /api/console/journeys: list/create, one journey with its per-step figures, pause/resume, delete, test run. */
export function createJourneyRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('campaigns'));
  const actor = (res: Parameters<typeof consoleLocals>[0]) => consoleLocals(res).session.user.id;

  router.get('/', async (_req, res) => {
    res.json({ journeys: await listJourneys() });
  });
  router.post('/', async (req, res) => {
    res.status(201).json({ journey: await createJourney(req.body, actor(res)) });
  });
  /** "Who would enter now" for a segment trigger (not saved). */
  router.post('/would-enter', async (req, res) => {
    readOnlyRequest(res);
    res.json({ count: await countWouldEnter(req.body?.trigger, deps.clock(), deps.config.timeZone) });
  });
  router.get('/:id', async (req, res) => {
    const journey = await getJourney(req.params.id, { messenger: deps.messenger, now: deps.clock() });
    res.json({ journey });
  });
  router.put('/:id', async (req, res) => {
    res.json({ journey: await updateJourney(req.params.id, req.body, actor(res)) });
  });
  router.post('/:id/pause', async (req, res) => {
    res.json({ journey: await pauseJourney(req.params.id, actor(res)) });
  });
  router.post('/:id/resume', async (req, res) => {
    res.json({ journey: await resumeJourney(req.params.id, actor(res)) });
  });
  router.delete('/:id', async (req, res) => {
    const { members } = parseOrThrow(DeleteQuerySchema, req.query);
    res.json(await deleteJourney(req.params.id, members, actor(res), deps.clock()));
  });
  /** A test run for one test recipient: every step at once, not counted in the figures. */
  router.post('/:id/test', async (req, res) => {
    const { lineUserId } = parseOrThrow(TestRunSchema, req.body);
    res.status(201).json(await startTestRun(req.params.id, lineUserId, deps.clock(), deps.config.timeZone));
  });
  return router;
}
