import { Router, type Response } from 'express';
import {
  getReply,
  listReplies,
  previewReply,
  type ReplyView as DomainReplyView,
  replyHistory,
  restoreReply,
  saveReply,
} from '../../domain/replies/reply-edit.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import {
  type ReplyHistoryResponse,
  type ReplyListResponse,
  type ReplyPreviewResponse,
  PreviewReplyRequestSchema,
  type ReplyResponse,
  type ReplyView,
  RestoreReplyRequestSchema,
  SaveReplyRequestSchema,
} from '../contracts/console-replies';
import { audit, consoleLocals, requirePermission } from './console-context';

/**
 * /api/console/replies (marketers and admins): the editable customer-facing texts. `/rules/*` under the same
 * prefix belongs to the auto-reply rules and is passed on untouched.
 */
export function createReplyRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use((req, _res, next) => (req.path === '/rules' || req.path.startsWith('/rules/') ? next('router') : next()));
  router.use(requirePermission('replies'));
  const actor = (res: Response) => {
    const { user } = consoleLocals(res).session;
    return { id: user.id, name: user.displayName || user.username };
  };

  router.get('/', async (_req, res) => {
    const body: ReplyListResponse = { replies: (await listReplies(deps.replies)).map(present) };
    res.json(body);
  });

  router.get('/:key', async (req, res) => {
    const body: ReplyResponse = { reply: present(await getReply(deps.replies, req.params.key)) };
    res.json(body);
  });

  router.get('/:key/history', async (req, res) => {
    const versions = await replyHistory(deps.replies, req.params.key);
    const body: ReplyHistoryResponse = { versions: versions.map((v) => ({ ...v, at: v.at.toISOString() })) };
    res.json(body);
  });

  router.put('/:key', async (req, res) => {
    const input = parseOrThrow(SaveReplyRequestSchema, req.body);
    const reply = await saveReply(
      deps.replies,
      req.params.key,
      { text: input.text, expectedVersion: input.version },
      actor(res),
      deps.clock(),
    );
    await audit(deps, req, res, {
      action: 'replies.update',
      target: { type: 'reply', id: reply.key, label: reply.label },
      details: { version: reply.version },
    });
    const body: ReplyResponse = { reply: present(reply) };
    res.json(body);
  });

  /** The LINE message a draft becomes and what a save would refuse; stores nothing (the editor's live preview). */
  router.post('/:key/preview', async (req, res) => {
    const input = parseOrThrow(PreviewReplyRequestSchema, req.body);
    const body: ReplyPreviewResponse = await previewReply(deps.replies, req.params.key, input.text);
    res.json(body);
  });

  router.post('/:key/restore', async (req, res) => {
    const input = parseOrThrow(RestoreReplyRequestSchema, req.body);
    const reply = await restoreReply(
      deps.replies,
      req.params.key,
      { expectedVersion: input.version, toVersion: input.toVersion },
      actor(res),
      deps.clock(),
    );
    await audit(deps, req, res, {
      action: 'replies.restore',
      target: { type: 'reply', id: reply.key, label: reply.label },
      details: { version: reply.version, toVersion: input.toVersion ?? 'default' },
    });
    const body: ReplyResponse = { reply: present(reply) };
    res.json(body);
  });

  return router;
}

function present(v: DomainReplyView): ReplyView {
  return { ...v, updatedAt: v.updatedAt ? v.updatedAt.toISOString() : null };
}
