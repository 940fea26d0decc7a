import express, { Router, type Response } from 'express';
import { uploadBrandLogo } from '../../domain/program/brand-logo.service';
import {
  defaultPersonaScript,
  getPersonaScriptRecord,
  resetPersonaScript,
  savePersonaScript,
} from '../../domain/persona/persona-script.service';
import { getProgramSettings, updateProgramSettings } from '../../domain/program/settings.service';
import { parseOrThrow } from '../../domain/shared/validation';
import { notFound } from '../../domain/shared/errors';
import {
  addTestRecipient,
  listTestRecipients,
  removeTestRecipient,
} from '../../domain/campaigns/test-recipients.service';
import { AddTestRecipientRequestSchema, type TierJourneyGiftsResponse } from '../contracts/console';
import { listTierJourneyExtraGifts } from '../../domain/tiers/tier-gift.service';
import { isObjectId } from '../../shared/ids';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';
import { SavePersonaScriptRequestSchema } from '../contracts/console';
import {
  presentPersonaScript,
  presentPersonaScriptWithDefault,
  presentProgramSettings,
  presentTestRecipient,
} from './presenters/program.presenter';

/** /api/console/settings (admin): the member program (earn rate, tiers, birthday, …), the persona script, test recipients. */
export function createSettingsRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('settings'));
  const actorId = (res: Response) => consoleLocals(res).session.user.id;

  router.get('/program', async (_req, res) => {
    res.json({ settings: presentProgramSettings(await getProgramSettings()) });
  });

  router.get('/tier-journey-gifts', async (_req, res) => {
    const body: TierJourneyGiftsResponse = { journeys: await listTierJourneyExtraGifts() };
    res.json(body);
  });

  router.put('/program', async (req, res) => {
    const before = await getProgramSettings();
    const settings = await updateProgramSettings(req.body, actorId(res));
    // The chat texts quote the program (the welcome's Q&A reward and birthday gift): this instance re-reads at once.
    deps.replies.invalidate();
    const changed = Object.keys(settings).filter(
      (k) => JSON.stringify(settings[k as keyof typeof settings]) !== JSON.stringify(before[k as keyof typeof before]),
    );
    await audit(deps, req, res, {
      action: 'settings.program.update',
      details: Object.fromEntries(
        changed.map((k) => [k, { from: before[k as keyof typeof before], to: settings[k as keyof typeof settings] }]),
      ),
    });
    res.json({ settings: presentProgramSettings(settings) });
  });

  /** The brand logo: raw PNG/JPEG bytes (checked by content, ≤ 512 KB); answers the settings with its new URL. */
  router.put('/brand/logo', express.raw({ type: () => true, limit: '4mb' }), async (req, res) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const settings = await uploadBrandLogo(bytes, actorId(res));
    await audit(deps, req, res, { action: 'settings.brand.logo', details: { logoUrl: settings.brand.logoUrl } });
    res.json({ settings: presentProgramSettings(settings) });
  });

  router.get('/persona-script', async (_req, res) => {
    res.json(presentPersonaScriptWithDefault(await getPersonaScriptRecord(), defaultPersonaScript()));
  });

  /** Validated as a whole (400 with the problems, nothing stored); applies to conversations from the next question on. */
  router.put('/persona-script', async (req, res) => {
    const body = parseOrThrow(SavePersonaScriptRequestSchema, req.body);
    const saved = await savePersonaScript(body.script, {
      actor: actorId(res),
      expectedRevision: body.expectedRevision,
    });
    await audit(deps, req, res, {
      action: 'settings.persona_script.update',
      details: { revision: saved.revision, questions: saved.script.questions.length },
    });
    res.json(presentPersonaScript(saved));
  });

  router.post('/persona-script/reset', async (req, res) => {
    const record = await resetPersonaScript();
    await audit(deps, req, res, { action: 'settings.persona_script.reset' });
    res.json(presentPersonaScript(record));
  });

  /** Campaign test recipients: the only LINE accounts a test send may go to. */
  router.get('/test-recipients', async (_req, res) => {
    res.json({ recipients: (await listTestRecipients()).map(presentTestRecipient) });
  });

  router.post('/test-recipients', async (req, res) => {
    const body = parseOrThrow(AddTestRecipientRequestSchema, req.body);
    const recipient = await addTestRecipient({ ...body, actor: actorId(res) });
    await audit(deps, req, res, {
      action: 'settings.test_recipient.add',
      target: { type: 'test_recipient', id: recipient.id, label: recipient.label },
      details: { lineUserId: recipient.lineUserId },
    });
    res.status(201).json({ recipient: presentTestRecipient(recipient) });
  });

  router.delete('/test-recipients/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!isObjectId(id)) throw notFound('找不到這個測試對象。', 'test_recipient_not_found');
    const recipient = await removeTestRecipient(id);
    await audit(deps, req, res, {
      action: 'settings.test_recipient.remove',
      target: { type: 'test_recipient', id, label: recipient.label },
      details: { lineUserId: recipient.lineUserId },
    });
    res.json({ ok: true });
  });

  return router;
}
