import { collapseRepeat, normalizeForMatch } from './normalize';

/**
 * Built-in intents that work in any state of the chat (before the notice, in the middle of the Q&A, after it):
 * they are about the conversation itself, not about the brand, so no marketer has to configure them. Pure.
 *
 * Each intent is recognised when the normalised text is one of its phrases, or (for the longer, unambiguous
 * phrases) contains one within a short message, so 「我不想再收到廣告了」 is an unsubscribe but a long complaint
 * that happens to mention 客服 is left to the FAQ and the fallback.
 */
export type IntentName = 'unsubscribe' | 'resubscribe' | 'agent' | 'greeting' | 'thanks';
export type YesNo = 'yes' | 'no';

interface IntentWords {
  /** The whole message is one of these. */
  exact: string[];
  /** The message contains one of these (and is at most CONTAINS_MAX characters long). */
  contains: string[];
}

const CONTAINS_MAX = 16;

const INTENTS: Record<IntentName, IntentWords> = {
  unsubscribe: {
    exact: ['退訂', '取消訂閱', '停止訂閱', '取消追蹤訊息', 'unsubscribe', 'stop'],
    contains: [
      '取消訂閱',
      '退訂',
      '不要再傳',
      '不要再發',
      '不要再寄',
      '別再傳',
      '不想收',
      '不想再收',
      '不要再收',
      '不要收到',
      '停止推播',
      '關閉推播',
      '關閉通知',
      '不要推播',
      '取消推播',
      '不要廣告',
      '不要再推',
      '停止發送',
      '停止傳送',
    ],
  },
  resubscribe: {
    exact: ['訂閱', '重新訂閱', '恢復訂閱', '開啟推播', '我要訂閱', '再次訂閱', 'subscribe'],
    contains: ['重新訂閱', '恢復訂閱', '開啟推播', '打開推播', '開啟通知', '我要訂閱', '想收優惠', '恢復推播'],
  },
  agent: {
    exact: ['真人', '客服', '找人', '真人客服', '人工', '人工客服', '專人', '小編', '服務人員', 'agent', 'human'],
    contains: ['真人', '找客服', '轉客服', '人工客服', '專人', '找小編', '找人工', '客服人員', '聯絡客服', '找人聊'],
  },
  greeting: {
    exact: [
      '你好',
      '您好',
      '哈囉',
      '嗨',
      '嗨嗨',
      'hi',
      'hello',
      'hey',
      '安安',
      '早安',
      '午安',
      '晚安',
      '在嗎',
      '哈摟',
      '你們好',
      '大家好',
    ],
    contains: [],
  },
  thanks: {
    exact: [
      '謝謝',
      '感謝',
      '3q',
      'thx',
      'thanks',
      'thankyou',
      '謝啦',
      '謝了',
      '多謝',
      '感恩',
      '謝謝你',
      '謝謝您',
      '感謝你',
      '感謝您',
      '謝謝你們',
      '非常感謝',
      '太感謝了',
      '辛苦了',
      'tks',
    ],
    contains: ['謝謝', '感謝', '感恩'],
  },
};

// Order matters: 「我不想收了，謝謝」 is an unsubscribe, not a thank-you; 「不要再傳訂閱訊息」 is not a resubscribe.
const ORDER: IntentName[] = ['unsubscribe', 'resubscribe', 'agent', 'thanks', 'greeting'];

const EXACT = new Map<string, IntentName>();
for (const name of ORDER) {
  for (const w of INTENTS[name].exact) {
    // Both as written and collapsed (「安安」 is read as 「安」 before the lookup).
    for (const key of [normalizeForMatch(w), collapseRepeat(normalizeForMatch(w))])
      if (!EXACT.has(key)) EXACT.set(key, name);
  }
}

/** The built-in intent a message means, or null. */
export function detectIntent(text: string): IntentName | null {
  const norm = collapseRepeat(normalizeForMatch(text));
  if (!norm) return null;
  const exact = EXACT.get(norm);
  if (exact) return exact;
  if ([...norm].length > CONTAINS_MAX) return null;
  for (const name of ORDER) if (INTENTS[name].contains.some((w) => norm.includes(w))) return name;
  return null;
}

const YES = [
  '好',
  '好的',
  '可以',
  'ok',
  'okay',
  '嗯',
  '對',
  '是',
  '是的',
  '沒問題',
  '當然',
  '同意',
  'yes',
  'y',
  '要',
  '願意',
  '行',
  '好啊',
  '可',
  '讚',
  '沒錯',
  '確定',
  '好der',
  'k',
  '有',
  '有的',
];
const NO = [
  '不要',
  '不用',
  '先不用',
  '不用了',
  '不',
  '不好',
  '不行',
  '不可以',
  'no',
  'n',
  '否',
  '不是',
  '不需要',
  '先不要',
  '算了',
  '不了',
  '免了',
  '不想',
  '不同意',
  '取消',
  '再說',
  '下次再說',
  '暫時不用',
  'nope',
  '沒有',
  '無',
];
const YES_SET = new Set(YES.map(normalizeForMatch));
const NO_SET = new Set(NO.map(normalizeForMatch));

/** A natural yes or no ("好喔", "OK", "嗯嗯", "先不用", "不用了") to whichever yes/no question is waiting; else null. */
export function readYesNo(text: string): YesNo | null {
  const norm = collapseRepeat(normalizeForMatch(text));
  if (!norm) return null;
  if (NO_SET.has(norm)) return 'no';
  if (YES_SET.has(norm)) return 'yes';
  return null;
}
