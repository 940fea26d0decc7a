import { Router } from 'express';
import { z } from 'zod';
import {
  countWouldEnter,
  createJourney,
  deleteJourney,
  getJourney,
  getJourneyStats,
  listJourneyTemplates,
  listJourneys,
  pauseJourney,
  previewJourneyStep,
  resumeJourney,
  startTestRun,
  updateJourney,
} from '../../domain/journeys/journey.service';
import { lineUserIdSchema } from '../../shared/ids';
import { parseOrThrow } from '../../domain/shared/validation';
import type {
  JourneyDeleteResponse,
  JourneyListResponse,
  JourneyResponse,
  JourneyStatsResponse,
  JourneyStepPreviewResponse,
  JourneyTemplatesResponse,
  JourneyTestRunResponse,
  WouldEnterResponse,
} from '../contracts/journeys';
import type { AppDeps } from '../../server/deps';
import { consoleLocals, readOnlyRequest, requirePermission } from './console-context';

const DeleteQuerySchema = z.object({ members: z.enum(['exit']).optional() });
const TEMPLATE_KEYS = [
  'welcome',
  'post_purchase',
  'win_back',
  'points_expiring',
  'tier_upgrade',
  'birthday_month',
] as const;
const CreateQuerySchema = z.object({ template: z.enum(TEMPLATE_KEYS, { error: '沒有這個旅程範本' }).optional() });
const TestRunSchema = z.object({ lineUserId: lineUserIdSchema });

/**
 * /api/console/journeys: list/create (optionally from a template), templates, one journey, its per-step figures,
 * pause/resume, delete, test run. Each answer is typed by api/contracts/journeys.ts (the compiler checks the domain's
 * results against it).
 */
export function createJourneyRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('campaigns'));
  const actor = (res: Parameters<typeof consoleLocals>[0]) => consoleLocals(res).session.user.id;

  router.get('/', async (_req, res) => {
    res.json({ journeys: await listJourneys() } satisfies JourneyListResponse);
  });
  router.get('/templates', async (_req, res) => {
    // The templates are the domain's input type, whose segment rules are `unknown` until parsed; none has one.
    const templates = (await listJourneyTemplates(deps.links.card())) as JourneyTemplatesResponse['templates'];
    res.json({ templates } satisfies JourneyTemplatesResponse);
  });
  router.post('/', async (req, res) => {
    const { template } = parseOrThrow(CreateQuerySchema, req.query);
    const journey = await createJourney(req.body, actor(res), template);
    res.status(201).json({ journey } satisfies JourneyResponse);
  });
  /** "Who would enter now" for a segment trigger (not saved). */
  router.post('/would-enter', async (req, res) => {
    readOnlyRequest(res);
    const count = await countWouldEnter(req.body?.trigger, deps.clock(), deps.config.timeZone);
    res.json({ count } satisfies WouldEnterResponse);
  });
  /** A message step being composed, as the customer will read it (the editor's preview; stores nothing). */
  router.post('/preview-step', (req, res) => {
    readOnlyRequest(res);
    const { messages } = previewJourneyStep(req.body, deps.links.server(''));
    res.json({ messages: messages.map((m) => ({ ...m })) } satisfies JourneyStepPreviewResponse);
  });
  router.get('/:id', async (req, res) => {
    res.json({ journey: await getJourney(req.params.id) } satisfies JourneyResponse);
  });
  /** Per-step figures: ours (entered, sent, clicked, goal conversions, revenue) and LINE's per-unit statistics. */
  router.get('/:id/stats', async (req, res) => {
    res.json((await getJourneyStats(req.params.id, deps.messenger, deps.clock())) satisfies JourneyStatsResponse);
  });
  router.put('/:id', async (req, res) => {
    res.json({ journey: await updateJourney(req.params.id, req.body, actor(res)) } satisfies JourneyResponse);
  });
  router.post('/:id/pause', async (req, res) => {
    res.json({ journey: await pauseJourney(req.params.id, actor(res)) } satisfies JourneyResponse);
  });
  router.post('/:id/resume', async (req, res) => {
    res.json({ journey: await resumeJourney(req.params.id, actor(res)) } satisfies JourneyResponse);
  });
  router.delete('/:id', async (req, res) => {
    const { members } = parseOrThrow(DeleteQuerySchema, req.query);
    res.json((await deleteJourney(req.params.id, members, actor(res), deps.clock())) satisfies JourneyDeleteResponse);
  });
  /** A test run for one test recipient: every step at once, not counted in the figures. */
  router.post('/:id/test', async (req, res) => {
    const { lineUserId } = parseOrThrow(TestRunSchema, req.body);
    const run = await startTestRun(req.params.id, lineUserId, deps.clock(), deps.config.timeZone);
    res.status(201).json(run satisfies JourneyTestRunResponse);
  });
  return router;
}
