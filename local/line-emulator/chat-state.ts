import { Router } from 'express';
import { type EmuContext, nowIso } from './context';
import { errorBody } from './validate';

/**
 * The loading animation and read marks (LINE's "Display a loading animation" and "Mark messages as read"), with
 * LINE's validation: `chatId` must be a user id (groups and rooms cannot show it), `loadingSeconds` optional
 * (default 20) and one of 5, 10 … 60; `markAsReadToken` must be one LINE handed out in a message event. The
 * animation ends when its seconds pass or when the account's next message reaches the user, as in the LINE app.
 */
export const LOADING_SECONDS = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60] as const;
const USER_ID = /^U[0-9a-f]{32}$/;

export function chatStateRouter(ctx: EmuContext): Router {
  const r = Router();
  const { store } = ctx;

  r.post('/v2/bot/chat/loading/start', (req, res) => {
    const b = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const details: Array<{ message: string; property: string }> = [];
    if (typeof b.chatId !== 'string' || !b.chatId) details.push({ message: 'May not be empty', property: 'chatId' });
    else if (!USER_ID.test(b.chatId))
      details.push({ message: 'The value must be a user ID of a one-on-one chat', property: 'chatId' });
    const seconds = b.loadingSeconds === undefined ? 20 : b.loadingSeconds;
    if (!(LOADING_SECONDS as readonly unknown[]).includes(seconds))
      details.push({
        message: `Must be one of the following values: [${LOADING_SECONDS.join(', ')}]`,
        property: 'loadingSeconds',
      });
    if (details.length) {
      res.status(400).json(errorBody(details));
      return;
    }
    const chatId = b.chatId as string;
    if (!store.users.has(chatId)) {
      res.status(400).json({ message: 'The user is not a friend of this account', details: [] });
      return;
    }
    const at = Date.now();
    store.loading.set(chatId, { until: at + (seconds as number) * 1000 });
    store.loadingLog.push({ chatId, loadingSeconds: seconds as number, at: nowIso() });
    res.status(202).json({});
  });

  r.post('/v2/bot/chat/markAsRead', (req, res) => {
    const token = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).markAsReadToken : '';
    if (typeof token !== 'string' || !token) {
      res.status(400).json(errorBody([{ message: 'May not be empty', property: 'markAsReadToken' }]));
      return;
    }
    const issued = store.readTokens.get(token);
    if (!issued) {
      res.status(400).json({ message: 'Invalid markAsReadToken', details: [] });
      return;
    }
    store.markRead(issued.userId, issued.messageId);
    store.readLog.push({ userId: issued.userId, messageId: issued.messageId, markAsReadToken: token, at: nowIso() });
    res.json({});
  });

  return r;
}
