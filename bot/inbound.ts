import type { webhook } from '@line/bot-sdk';
import type { Types } from 'mongoose';
import type { InteractionInput } from '../domain/interactions/interaction.service';
import type { PersonaScript } from '../domain/persona/persona-script.schema';
import { getPersonaScript } from '../domain/persona/persona-script.service';
import { parsePersonaData } from './persona/prompt';
import type { InteractionType } from '../models/interaction.model';
import type { InboundMessage, LineEvent } from './event-store';

/**
 * The member's side of the timeline: one interaction per inbound event (key `evt:<webhookEventId>`, so a
 * reprocessed event is recorded once), summarised the way a marketer would read it in the console.
 */

const MESSAGE_LABELS = { sticker: '[貼圖]', image: '[照片]', video: '[影片]', audio: '[語音]' } as const;

/** What the member sent, in one line. */
export function summarizeMessage(message: InboundMessage): string {
  switch (message.type) {
    case 'text':
      return message.text.slice(0, 300);
    case 'file':
      return `[檔案] ${message.fileName}`.trim();
    case 'location':
      return `[位置] ${message.title || message.address || ''}`.trim();
    case 'unrecognized':
      return `[${message.lineType || '訊息'}]`;
    default:
      return MESSAGE_LABELS[message.type];
  }
}

const COMMAND_WORDS: Record<string, string> = {
  card: '會員卡',
  points: '點數',
  coupons: '優惠券',
  referral: '推薦',
  profile: '資料',
  help: '說明',
};
const CONSENT_WORDS: Record<string, string> = { accept: '同意', decline: '不同意' };
const PERSONA_OP_WORDS: Record<string, string> = { skip: '略過', done: '完成', toggle: '勾選', date: '選擇日期' };

/**
 * What a button press meant: persona answers, consent, menu commands and survey scores read as words. With the
 * persona script, a Q&A button reads as its question and option ("偏好優惠：免運"); without it, as its codes.
 */
export function summarizePostback(postback: webhook.PostbackContent, script?: PersonaScript): string {
  const { data, params } = postback;
  const picked = params?.date || params?.datetime || params?.time || '';
  const [kind, ...rest] = data.split(':');
  const label: Record<string, string> = { persona: '問卷', consent: '個資告知', cmd: '選單', survey: '滿意度' };
  const words =
    (kind === 'persona' && script && personaWords(data, script)) ||
    (kind === 'cmd' && COMMAND_WORDS[rest[0]]) ||
    (kind === 'consent' && CONSENT_WORDS[rest[0]]) ||
    rest.join(':');
  const base = label[kind] ? `[${label[kind]}] ${words}` : `[按鈕] ${data}`;
  return `${base}${picked ? ` ${picked}` : ''}`.slice(0, 300);
}

function personaWords(data: string, script: PersonaScript): string | null {
  const p = parsePersonaData(data);
  const q = p && script.questions.find((x) => x.id === p.questionId);
  if (!p || !q) return null;
  const title = q.title ?? q.id;
  const option = p.optionId && 'options' in q ? q.options.find((o) => o.id === p.optionId) : undefined;
  if (p.op === 'pick' && option) return `${title}：${option.label}`;
  if (p.op === 'toggle' && option) return `${title}：${PERSONA_OP_WORDS.toggle} ${option.label}`;
  if (p.op === 'date') return `${title}：${PERSONA_OP_WORDS.date}`;
  return PERSONA_OP_WORDS[p.op] ? `${title}：${PERSONA_OP_WORDS[p.op]}` : null;
}

const OTHER_EVENT_LABELS: Record<string, string> = {
  unsend: '收回訊息',
  videoPlayComplete: '看完影片',
  beacon: '經過門市 Beacon',
  accountLink: '帳號連結',
  membership: 'LINE 會員方案異動',
  things: 'LINE Things 裝置事件',
};

export function summarizeEvent(event: LineEvent, script?: PersonaScript): { type: InteractionType; summary: string } {
  switch (event.type) {
    case 'message':
      return { type: 'message_in', summary: summarizeMessage(event.message) };
    case 'postback':
      return { type: 'postback', summary: summarizePostback(event.postback, script) };
    case 'follow':
      return { type: 'follow', summary: event.follow.isUnblocked ? '解除封鎖，重新加入好友' : '加入好友' };
    case 'unfollow':
      return { type: 'unfollow', summary: '封鎖官方帳號' };
    case 'unrecognized':
      return otherEvent(event.lineType);
    default:
      return otherEvent(event.type);
  }
}

function otherEvent(type: string): { type: InteractionType; summary: string } {
  return { type: 'event', summary: OTHER_EVENT_LABELS[type] ?? `LINE 事件：${type}` };
}

const messageTypeOf = (message: InboundMessage) => (message.type === 'unrecognized' ? message.lineType : message.type);

/** The timeline entry of an inbound event (key `evt:<webhookEventId>`), for the handler to write with its answer. */
export async function inboundInteraction(
  event: LineEvent,
  webhookEventId: string,
  memberId: Types.ObjectId | string | null,
  at: Date,
  script: () => Promise<PersonaScript> = getPersonaScript,
): Promise<InteractionInput> {
  const isPersonaButton = event.type === 'postback' && event.postback.data.startsWith('persona:');
  const { type, summary } = summarizeEvent(event, isPersonaButton ? await script() : undefined);
  const message = event.type === 'message' ? event.message : null;
  return {
    memberId,
    lineUserId: event.source?.userId,
    type,
    channel: 'line',
    summary,
    at,
    key: `evt:${webhookEventId}`,
    refs: {
      webhookEventId,
      ...(message?.id ? { messageId: message.id } : {}),
      ...(message ? { messageType: messageTypeOf(message) } : {}),
    },
  };
}
