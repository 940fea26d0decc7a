import { Router } from 'express';
import { z } from 'zod';
import { ANSWER_VARIABLES } from '../../domain/conversation/answer-variables';
import {
  createAutoReplyRule,
  deleteAutoReplyRule,
  listAutoReplyRules,
  updateAutoReplyRule,
} from '../../domain/conversation/auto-reply-rule.service';
import { createFaqEntry, deleteFaqEntry, listFaqEntries, updateFaqEntry } from '../../domain/conversation/faq.service';
import { dismissUnanswered, listUnanswered, UNANSWERED_DAYS } from '../../domain/conversation/unanswered.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import type {
  FaqEntryView,
  FaqListResponse,
  RuleListResponse,
  RuleView,
  UnansweredResponse,
} from '../contracts/conversation';
import { audit, consoleLocals, requirePermission } from './console-context';

const actorId = (res: Parameters<typeof consoleLocals>[0]) => consoleLocals(res).session.user.id;

/**
 * /api/console/faq: the FAQ the chat answers from, and 「未回覆的問題」 (`/faq/unanswered`, with the one-click
 * "turn into an FAQ entry" `POST /faq/unanswered/to-faq`). Marketers and admins (`replies`); staff get 403.
 */
export function createFaqRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('replies'));

  router.get('/', async (_req, res) => {
    res.json({ entries: await listFaqEntries(), variables: [...ANSWER_VARIABLES] } satisfies FaqListResponse);
  });

  router.get('/unanswered', async (_req, res) => {
    res.json({
      phrases: await listUnanswered(deps.clock(), deps.config.timeZone),
      days: UNANSWERED_DAYS,
    } satisfies UnansweredResponse);
  });

  /** One click: the phrase becomes a new FAQ entry's question (the marketer writes the answer) and leaves the list. */
  router.post('/unanswered/to-faq', async (req, res) => {
    const { phrase, text, answer } = parseOrThrow(
      z.strictObject({
        phrase: z.string().min(1, '請選擇問題'),
        text: z.string().trim().min(1, '請選擇問題'),
        answer: z.unknown(),
      }),
      req.body,
    );
    const entry = await createFaqEntry({ question: text, alternatives: [], answer, active: true }, actorId(res));
    await dismissUnanswered(phrase);
    await audit(deps, req, res, {
      action: 'faq.create',
      target: { type: 'faq', id: entry.id, label: entry.question },
      details: { from: 'unanswered' },
    });
    res.status(201).json({ entry } satisfies { entry: FaqEntryView });
  });

  router.post('/', async (req, res) => {
    const entry = await createFaqEntry(req.body, actorId(res));
    await audit(deps, req, res, { action: 'faq.create', target: { type: 'faq', id: entry.id, label: entry.question } });
    res.status(201).json({ entry } satisfies { entry: FaqEntryView });
  });

  router.put('/:id', async (req, res) => {
    const entry = await updateFaqEntry(String(req.params.id), req.body, actorId(res));
    await audit(deps, req, res, { action: 'faq.update', target: { type: 'faq', id: entry.id, label: entry.question } });
    res.json({ entry } satisfies { entry: FaqEntryView });
  });

  router.delete('/:id', async (req, res) => {
    const entry = await deleteFaqEntry(String(req.params.id));
    await audit(deps, req, res, { action: 'faq.delete', target: { type: 'faq', id: entry.id, label: entry.question } });
    res.json({ ok: true });
  });
  return router;
}

/** /api/console/replies/rules: keyword auto-reply rules. Marketers and admins (`replies`); staff get 403. */
export function createReplyRuleRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('replies'));

  router.get('/', async (_req, res) => {
    res.json({ rules: (await listAutoReplyRules()) as RuleView[] } satisfies RuleListResponse);
  });

  router.post('/', async (req, res) => {
    const rule = await createAutoReplyRule(req.body, actorId(res));
    await audit(deps, req, res, {
      action: 'reply-rule.create',
      target: { type: 'reply-rule', id: rule.id, label: rule.name },
    });
    res.status(201).json({ rule: rule as RuleView });
  });

  router.put('/:id', async (req, res) => {
    const rule = await updateAutoReplyRule(String(req.params.id), req.body, actorId(res));
    await audit(deps, req, res, {
      action: 'reply-rule.update',
      target: { type: 'reply-rule', id: rule.id, label: rule.name },
    });
    res.json({ rule: rule as RuleView });
  });

  router.delete('/:id', async (req, res) => {
    const rule = await deleteAutoReplyRule(String(req.params.id));
    await audit(deps, req, res, {
      action: 'reply-rule.delete',
      target: { type: 'reply-rule', id: rule.id, label: rule.name },
    });
    res.json({ ok: true });
  });
  return router;
}
