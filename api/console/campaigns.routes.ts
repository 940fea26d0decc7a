import { Router, type Response } from 'express';
import { cancelCampaign, createCampaign, estimateCampaign, getCampaign, getCampaignStats, listCampaigns, resumeCampaign, scheduleCampaign, sendTestMessage, updateCampaign } from '../../domain/campaigns/campaign.service';
import { badRequest } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, readOnlyRequest, requirePermission } from './console-context';
import { CampaignListQuerySchema, ResumeCampaignRequestSchema, TestSendRequestSchema, type TestRecipients } from '../contracts/console';
import { presentCampaign, presentCampaignPage, presentCampaignStats, presentEstimate } from './presenters/program.presenter';

/** /api/console/campaigns: compose, estimate, test-send, schedule, cancel, and per-campaign stats. */
export function createCampaignRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('campaigns'));
  const ctx = { timeZone: deps.config.timeZone };
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

  /** Who a test can go to: my own LINE userId, and in local mode the emulator's users. */
  router.get('/test-recipients', async (_req, res) => {
    const me = consoleLocals(res).session.user;
    const recipients: Array<{ lineUserId: string; label: string }> = me.lineUserId ? [{ lineUserId: me.lineUserId, label: `我的 LINE（${me.displayName}）` }] : [];
    if (deps.emulatorBaseURL) {
      const users = await fetch(`${deps.emulatorBaseURL}/_emulator/users`).then((r) => (r.ok ? r.json() : [])).catch(() => []) as Array<{ userId: string; displayName: string }>;
      for (const u of users) if (u.userId !== me.lineUserId) recipients.push({ lineUserId: u.userId, label: `模擬器：${u.displayName}` });
    }
    res.json({ recipients, emulator: Boolean(deps.emulatorBaseURL) } satisfies TestRecipients);
  });

  router.post('/', async (req, res) => {
    const campaign = await createCampaign(req.body, actorId(res), deps.clock(), ctx);
    await audit(deps, req, res, { action: campaign.status === 'draft' ? 'campaign.draft' : 'campaign.schedule', target: target(campaign), details: summary(campaign) });
    res.status(201).json({ campaign: presentCampaign(campaign) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ campaign: presentCampaign(await getCampaign(String(req.params.id))) });
  });

  router.get('/:id/stats', async (req, res) => {
    res.json({ stats: presentCampaignStats(await getCampaignStats(String(req.params.id))) });
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
    const lineUserId = body.lineUserId ?? consoleLocals(res).session.user.lineUserId;
    if (!lineUserId) throw badRequest('no_test_recipient', '請先在「我的帳號」填入您的 LINE userId，或選擇一位測試對象。');
    const campaign = await getCampaign(String(req.params.id));
    await sendTestMessage(deps, campaign.id, lineUserId);
    await audit(deps, req, res, { action: 'campaign.test_send', target: target(campaign), details: { lineUserId } });
    res.json({ ok: true, lineUserId });
  });

  return router;
}

function summary(c: { status: string; audience: unknown; schedule: unknown; nextRunAt: Date | null }): Record<string, unknown> {
  return { status: c.status, audience: c.audience, schedule: c.schedule, nextRunAt: c.nextRunAt };
}
