import { Router, type Response } from 'express';
import {
  cancelCampaign,
  createCampaign,
  estimateCampaign,
  getCampaign,
  getCampaignStats,
  listCampaigns,
  previewCampaign,
  previewCampaignInput,
  resumeCampaign,
  scheduleCampaign,
  updateCampaign,
} from '../../domain/campaigns/campaign.service';
import { listTestRecipients, sendCampaignTest } from '../../domain/campaigns/test-recipients.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, readOnlyRequest, requirePermission } from './console-context';
import {
  CampaignListQuerySchema,
  CampaignPreviewQuerySchema,
  ResumeCampaignRequestSchema,
  TestSendRequestSchema,
  type TestRecipients,
  type TestSendResponse,
} from '../contracts/console';
import {
  presentCampaign,
  presentCampaignPage,
  presentCampaignPreview,
  presentCampaignStats,
  presentEstimate,
} from './presenters/program.presenter';

/** /api/console/campaigns: compose, estimate, test-send, schedule, cancel, and per-campaign stats. */
export function createCampaignRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('campaigns'));
  const ctx = { timeZone: deps.config.timeZone, links: deps.links, messenger: deps.messenger };
  const actorId = (res: Response) => consoleLocals(res).session.user.id;
  const target = (c: { id: string; name: string }) => ({ type: 'campaign', id: c.id, label: c.name });

  router.get('/', async (req, res) => {
    res.json(presentCampaignPage(await listCampaigns(parseOrThrow(CampaignListQuerySchema, req.query))));
  });

  /** Audience and monthly quota for the campaign being composed (nothing saved). */
  router.post('/estimate', async (req, res) => {
    readOnlyRequest(res);
    res.json(presentEstimate(await estimateCampaign(req.body, deps.clock(), deps.messenger, ctx)));
  });

  /** The final messages of the campaign being composed (nothing saved). */
  router.post('/preview', async (req, res) => {
    readOnlyRequest(res);
    const { variant } = parseOrThrow(CampaignPreviewQuerySchema, req.query);
    res.json(presentCampaignPreview(await previewCampaignInput(ctx, req.body, variant)));
  });

  /** Who a test can go to: the test-recipient list (settings), with my own linked LINE marked. */
  router.get('/test-recipients', async (_req, res) => {
    const me = consoleLocals(res).session.user;
    const recipients = await listTestRecipients();
    res.json({
      recipients: recipients.map((r) => ({
        lineUserId: r.lineUserId,
        label: r.label,
        mine: r.consoleUserId === me.id,
      })),
    } satisfies TestRecipients);
  });

  router.post('/', async (req, res) => {
    const campaign = await createCampaign(req.body, actorId(res), deps.clock(), ctx);
    await audit(deps, req, res, {
      action: campaign.status === 'draft' ? 'campaign.draft' : 'campaign.schedule',
      target: target(campaign),
      details: summary(campaign),
    });
    res.status(201).json({ campaign: presentCampaign(campaign) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ campaign: presentCampaign(await getCampaign(String(req.params.id))) });
  });

  /** Our counters, the A/B verdict, and LINE's own figures from the insight API. */
  router.get('/:id/stats', async (req, res) => {
    const line = { messenger: deps.messenger, now: deps.clock() };
    res.json({ stats: presentCampaignStats(await getCampaignStats(String(req.params.id), line)) });
  });

  /** The final messages a recipient of the variant gets (what the customer reads, links included). */
  router.get('/:id/preview', async (req, res) => {
    const { variant } = parseOrThrow(CampaignPreviewQuerySchema, req.query);
    const preview = await previewCampaign(ctx, String(req.params.id), variant);
    res.json(presentCampaignPreview(preview));
  });

  router.put('/:id', async (req, res) => {
    const campaign = await updateCampaign(String(req.params.id), req.body, actorId(res), deps.clock(), ctx);
    await audit(deps, req, res, { action: 'campaign.update', target: target(campaign), details: summary(campaign) });
    res.json({ campaign: presentCampaign(campaign) });
  });

  router.post('/:id/schedule', async (req, res) => {
    const campaign = await scheduleCampaign(String(req.params.id), actorId(res), deps.clock(), ctx);
    await audit(deps, req, res, { action: 'campaign.schedule', target: target(campaign), details: summary(campaign) });
    res.json({ campaign: presentCampaign(campaign) });
  });

  router.post('/:id/cancel', async (req, res) => {
    const campaign = await cancelCampaign(String(req.params.id), actorId(res), deps.clock());
    await audit(deps, req, res, { action: 'campaign.cancel', target: target(campaign) });
    res.json({ campaign: presentCampaign(campaign) });
  });

  router.post('/:id/resume', async (req, res) => {
    const { sendPartial } = parseOrThrow(ResumeCampaignRequestSchema, req.body ?? {});
    const campaign = await resumeCampaign(String(req.params.id), actorId(res), { sendPartial });
    await audit(deps, req, res, { action: 'campaign.resume', target: target(campaign), details: { sendPartial } });
    res.json({ campaign: presentCampaign(campaign) });
  });

  router.post('/:id/test-send', async (req, res) => {
    const body = parseOrThrow(TestSendRequestSchema, req.body ?? {});
    const { campaign, recipient } = await sendCampaignTest(deps, {
      campaignId: String(req.params.id),
      requested: body.lineUserId,
      caller: consoleLocals(res).session.user,
      variant: body.variant,
    });
    await audit(deps, req, res, {
      action: 'campaign.test_send',
      target: target(campaign),
      details: { lineUserId: recipient.lineUserId, label: recipient.label, variant: body.variant ?? null },
    });
    res.json({ ok: true, lineUserId: recipient.lineUserId, label: recipient.label } satisfies TestSendResponse);
  });

  return router;
}

function summary(c: {
  status: string;
  audience: unknown;
  schedule: unknown;
  nextRunAt: Date | null;
}): Record<string, unknown> {
  return { status: c.status, audience: c.audience, schedule: c.schedule, nextRunAt: c.nextRunAt };
}
