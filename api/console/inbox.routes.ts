import { type Request, type Response, Router } from 'express';
import { readQuota, sendAgentReply } from '../../domain/inbox/agent-reply.service';
import {
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from '../../domain/inbox/canned-reply.service';
import { latestInboxSeq } from '../../domain/inbox/inbox-events.service';
import { closeConversation } from '../../domain/inbox/conversation-close.service';
import { createInboxFeed } from '../../domain/inbox/inbox-feed';
import {
  assignConversation,
  countInbox,
  getConversationView,
  listAgents,
  listConversations,
  markConversationRead,
} from '../../domain/inbox/inbox.service';
import { resolveSession } from '../../domain/staff/session.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import {
  CannedReplyRequestSchema,
  InboxAssignRequestSchema,
  InboxCloseRequestSchema,
  InboxListQuerySchema,
  InboxReplyRequestSchema,
} from '../contracts/inbox';
import {
  audit,
  consoleLocals,
  readCookie,
  readOnlyRequest,
  requirePermission,
  SESSION_COOKIE,
  sessionPepper,
} from './console-context';
import {
  presentCannedReply,
  presentConversationRow,
  presentConversationView,
  presentInboxList,
  presentStreamEvent,
} from './presenters/inbox.presenter';

/** Comment lines on an idle stream, so proxies keep it open and a dead session is noticed. */
const HEARTBEAT_MS = 15_000;

/**
 * /api/console/inbox (#13.5): conversations, the live stream (SSE), replies, assign, close, canned replies.
 * Staff, marketers and admins (permission `inbox`). The stream is fed by this instance's reader of the shared
 * feed, so an event written by any instance reaches every instance's consoles.
 */
export function createInboxRoutes(deps: AppDeps): Router {
  const router = Router();
  const feed = createInboxFeed();
  router.use(requirePermission('inbox'));
  const agentOf = (res: Response) => {
    const { user } = consoleLocals(res).session;
    return { id: user.id, name: user.displayName };
  };

  router.get('/', async (req, res) => {
    const q = parseOrThrow(InboxListQuerySchema, req.query);
    res.json(presentInboxList(await listConversations(q)));
  });

  router.get('/counts', async (_req, res) => {
    res.json(await countInbox());
  });

  router.get('/quota', async (_req, res) => {
    res.json(await readQuota(deps.messenger));
  });

  router.get('/agents', async (_req, res) => {
    res.json({ items: await listAgents() });
  });

  router.get('/stream', async (req, res) => {
    const given = Number(req.get('last-event-id') ?? req.query.lastEventId);
    const after = Number.isSafeInteger(given) && given >= 0 ? given : await latestInboxSeq();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 3000\n: connected after ${after}\n\n`);
    const unsubscribe = feed.subscribe(after, (events) => {
      for (const e of events)
        res.write(`id: ${e.seq}\nevent: inbox\ndata: ${JSON.stringify(presentStreamEvent(e))}\n\n`);
    });
    const heartbeat = setInterval(() => void beat(req, res, end), HEARTBEAT_MS);
    heartbeat.unref();
    function end() {
      clearInterval(heartbeat);
      unsubscribe();
      if (!res.writableEnded) res.end();
    }
    req.on('close', end);
  });

  /** A heartbeat; a session that ended (sign-out, expiry) ends the stream, and the console asks to sign in. */
  async function beat(req: Request, res: Response, end: () => void) {
    const session = await resolveSession(readCookie(req, SESSION_COOKIE), deps.clock(), sessionPepper(deps)).catch(
      () => null,
    );
    if (!session) {
      res.write('event: signed-out\ndata: {}\n\n');
      end();
      return;
    }
    res.write(': heartbeat\n\n');
  }

  router.get('/canned', async (_req, res) => {
    res.json({ items: (await listCannedReplies()).map(presentCannedReply) });
  });
  router.post('/canned', async (req, res) => {
    const body = parseOrThrow(CannedReplyRequestSchema, req.body);
    const created = await createCannedReply(body, agentOf(res).id, deps.clock());
    await audit(deps, req, res, { action: 'inbox.canned.create', target: { type: 'canned_reply', id: created.id } });
    res.status(201).json(presentCannedReply(created));
  });
  router.put('/canned/:id', async (req, res) => {
    const body = parseOrThrow(CannedReplyRequestSchema, req.body);
    const updated = await updateCannedReply(req.params.id, body, agentOf(res).id, deps.clock());
    await audit(deps, req, res, { action: 'inbox.canned.update', target: { type: 'canned_reply', id: updated.id } });
    res.json(presentCannedReply(updated));
  });
  router.delete('/canned/:id', async (req, res) => {
    await deleteCannedReply(req.params.id);
    await audit(deps, req, res, { action: 'inbox.canned.delete', target: { type: 'canned_reply', id: req.params.id } });
    res.status(204).end();
  });

  router.get('/:id', async (req, res) => {
    res.json(
      presentConversationView(await getConversationView(req.params.id, { now: deps.clock(), links: deps.links })),
    );
  });

  router.post('/:id/read', async (req, res) => {
    const row = await markConversationRead(req.params.id, deps.messenger, deps.clock());
    // Opening a conversation is reading it: no audit entry.
    readOnlyRequest(res);
    res.json(presentConversationRow(row));
  });

  router.post('/:id/replies', async (req, res) => {
    const body = parseOrThrow(InboxReplyRequestSchema, req.body);
    const result = await sendAgentReply({
      conversationId: req.params.id,
      text: body.text,
      clientKey: body.clientKey,
      agent: agentOf(res),
      messenger: deps.messenger,
      now: deps.clock(),
    });
    await audit(deps, req, res, {
      action: 'inbox.reply',
      target: { type: 'conversation', id: req.params.id },
      details: { sent: result.sent },
    });
    res
      .status(result.sent ? 201 : 200)
      .json({ conversation: presentConversationRow(result.conversation), sent: result.sent });
  });

  router.post('/:id/assign', async (req, res) => {
    const body = parseOrThrow(InboxAssignRequestSchema, req.body);
    const row = await assignConversation(req.params.id, body.assigneeId, deps.clock());
    await audit(deps, req, res, {
      action: 'inbox.assign',
      target: { type: 'conversation', id: req.params.id },
      details: { assigneeId: body.assigneeId },
    });
    res.json(presentConversationRow(row));
  });

  router.post('/:id/close', async (req, res) => {
    const body = parseOrThrow(InboxCloseRequestSchema, req.body ?? {});
    const row = await closeConversation({
      conversationId: req.params.id,
      agent: agentOf(res),
      now: deps.clock(),
      notify: body.notify ? { messenger: deps.messenger } : undefined,
    });
    await audit(deps, req, res, {
      action: 'inbox.close',
      target: { type: 'conversation', id: req.params.id },
      details: { notify: body.notify, closeNotice: row.closeNotice },
    });
    res.json(presentConversationRow(row));
  });

  return router;
}
