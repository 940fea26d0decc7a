import type { Logger } from '../../domain/shared/logger';
import type { AppDeps } from '../../server/deps';
import type { IncomingEvent } from '../event-store';

export interface HandlerContext { webhookEventId: string; log: Logger }
export type HandlerOutcome = 'handled' | 'ignored';

/** Dispatches one webhook event to its handler. */
export async function handleEvent(deps: AppDeps, event: IncomingEvent, ctx: HandlerContext): Promise<HandlerOutcome> {
  const replyToken = typeof event.replyToken === 'string' ? event.replyToken : undefined;
  const message = event.message as { type?: string; text?: string } | undefined;
  if (event.type === 'message' && message?.type === 'text' && replyToken && event.source?.type === 'user') {
    await deps.messenger.reply(replyToken, [{ type: 'text', text: `您說：「${message.text ?? ''}」。輸入「說明」看看我能做什麼。` }]);
    return 'handled';
  }
  ctx.log.debug({ type: event.type }, 'event recorded, no handler');
  return 'ignored';
}
