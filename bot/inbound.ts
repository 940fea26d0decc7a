import type { Types } from 'mongoose';
import { recordInteraction } from '../domain/interactions/interaction.service';
import type { InteractionType } from '../models/interaction.model';
import type { IncomingEvent } from './event-store';

/**
 * The member's side of the timeline: one interaction per inbound event (key `evt:<webhookEventId>`, so a
 * reprocessed event is recorded once), summarised the way a marketer would read it in the console.
 */

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

const MESSAGE_LABELS: Record<string, string> = {
  sticker: '[貼圖]', image: '[照片]', video: '[影片]', audio: '[語音]', file: '[檔案]', location: '[位置]',
};

/** What the member sent, in one line. */
export function summarizeMessage(message: Obj): string {
  const type = str(message.type);
  if (type === 'text') return str(message.text).slice(0, 300);
  if (type === 'file') return `[檔案] ${str(message.fileName)}`.trim();
  if (type === 'location') return `[位置] ${str(message.title) || str(message.address)}`.trim();
  return MESSAGE_LABELS[type] ?? `[${type || '訊息'}]`;
}

/** What a button press meant: persona answers, consent, menu commands and survey scores read as words. */
export function summarizePostback(postback: Obj): string {
  const data = str(postback.data);
  const params = obj(postback.params);
  const picked = str(params.date) || str(params.datetime) || str(params.time);
  const [kind, ...rest] = data.split(':');
  const label: Record<string, string> = { persona: '問卷', consent: '個資告知', cmd: '選單', survey: '滿意度' };
  const base = label[kind] ? `[${label[kind]}] ${rest.join(':')}` : `[按鈕] ${data}`;
  return `${base}${picked ? ` ${picked}` : ''}`.slice(0, 300);
}

const OTHER_EVENT_LABELS: Record<string, string> = {
  unsend: '收回訊息', videoPlayComplete: '看完影片', beacon: '經過門市 Beacon', accountLink: '帳號連結',
  membership: 'LINE 會員方案異動', things: 'LINE Things 裝置事件',
};

export function summarizeEvent(event: IncomingEvent): { type: InteractionType; summary: string } {
  switch (event.type) {
    case 'message': return { type: 'message_in', summary: summarizeMessage(obj(event.message)) };
    case 'postback': return { type: 'postback', summary: summarizePostback(obj(event.postback)) };
    case 'follow': return { type: 'follow', summary: obj(event.follow).isUnblocked ? '解除封鎖，重新加入好友' : '加入好友' };
    case 'unfollow': return { type: 'unfollow', summary: '封鎖官方帳號' };
    default: return { type: 'event', summary: OTHER_EVENT_LABELS[String(event.type)] ?? `LINE 事件：${String(event.type ?? 'unknown')}` };
  }
}

/** Records the inbound event on the member's timeline (idempotent per webhook event). */
export async function recordInbound(event: IncomingEvent, webhookEventId: string, memberId: Types.ObjectId | string | null, at: Date): Promise<void> {
  const { type, summary } = summarizeEvent(event);
  const message = obj(event.message);
  await recordInteraction({
    memberId, lineUserId: event.source?.userId, type, channel: 'line', summary, at, key: `evt:${webhookEventId}`,
    refs: { webhookEventId, ...(message.id ? { messageId: str(message.id) } : {}), ...(event.type === 'message' ? { messageType: str(message.type) } : {}) },
  });
}
