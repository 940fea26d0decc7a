import { z } from 'zod';
import { checkLineAction, checkLineMessage } from '../messaging/line-rules/line-message-rules';

/**
 * The persona Q&A script as data: an ordered list of questions the chat asks a new member. Marketers edit it in
 * the console, so every rule LINE imposes (quick reply count, label length, postback size) is checked here,
 * before it can break a conversation.
 */

/** Member fields a question may fill; `birthday` also fills `birthMonth`. */
export const PERSONA_FIELDS = [
  'gender',
  'birthday',
  'city',
  'name',
  'email',
  /** A Taiwan mobile, stored as 09XXXXXXXX through domain/members/member-phone.service.ts (never silently merged). */
  'phone',
  'preferences.priceSensitivity',
  'preferences.promotionType',
  'preferences.contactTime',
] as const;
export type PersonaField = (typeof PERSONA_FIELDS)[number];

export const GENDER_VALUES = ['female', 'male', 'other', 'undisclosed'] as const;

/** LINE shows at most 13 quick replies. */
export const MAX_QUICK_REPLIES = 13;

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,29}$/, '只能用小寫英數字、- 與 _（最多 30 字）');
const tag = z.string().trim().min(1).max(40);
const isRegex = (s: string) => {
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
};
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '請用 YYYY-MM-DD 格式');
const regexSource = z.string().min(1).max(200).refine(isRegex, '不是有效的正規表示式');

export const PersonaOptionSchema = z.object({
  id: slug,
  /** Shown on the quick-reply button: LINE allows 20 characters as people see them (checked in checkScript). */
  label: z.string().trim().min(1).max(200),
  /** Stored in the member field; defaults to the label. */
  value: z.string().trim().min(1).max(60).optional(),
  /** Other typed answers that pick this option (臺北 for 台北市). */
  aliases: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
  /** Words that, mentioned anywhere in chat, add this option's tags with source `keyword`. */
  keywords: z.array(z.string().trim().min(1).max(30)).max(30).default([]),
  /** Preference tags this option adds (source `persona`). */
  tags: z.array(tag).max(5).default([]),
  /** "其他": picking it asks the member to type the answer instead. */
  askText: z.boolean().default(false),
  /** What a typed "other" answer must look like (e.g. a county name). */
  textPattern: regexSource.optional(),
  textPrompt: z.string().trim().min(1).max(200).optional(),
});

const base = {
  id: slug,
  /** Short name for timelines and the console (性別, 生日); defaults to the id. */
  title: z.string().trim().min(1).max(20).optional(),
  prompt: z.string().trim().min(1).max(500),
  skippable: z.boolean().default(true),
  /** Re-prompt text for an invalid answer; a type-specific default is used when absent. */
  invalidMessage: z.string().trim().min(1).max(200).optional(),
};

const SingleQuestionSchema = z.object({
  ...base,
  type: z.literal('single'),
  field: z.enum(PERSONA_FIELDS).optional(),
  options: z.array(PersonaOptionSchema).min(2).max(12),
});
const MultiQuestionSchema = z.object({
  ...base,
  type: z.literal('multi'),
  options: z.array(PersonaOptionSchema).min(2).max(11),
  maxSelections: z.number().int().min(1).max(11).optional(),
});
const DateQuestionSchema = z.object({
  ...base,
  type: z.literal('date'),
  field: z.enum(PERSONA_FIELDS).optional(),
  /** Birthdays cannot be in the future. */
  notFuture: z.boolean().default(true),
  /** The picker's range (LINE's date picker: 1900-01-01..2100-12-31, min before max); with notFuture, max is today. */
  minDate: isoDate.default('1900-01-01'),
  maxDate: isoDate.optional(),
  /** Date the picker opens at (within the range). */
  initial: isoDate.default('1990-01-01'),
});
const TextQuestionSchema = z.object({
  ...base,
  type: z.literal('text'),
  field: z.enum(PERSONA_FIELDS).optional(),
  validator: z
    .object({
      /** `phone`: a Taiwan mobile (09XXXXXXXX, +886 and spaces/dashes accepted), stored normalised. */
      kind: z.enum(['any', 'email', 'pattern', 'phone']).default('any'),
      pattern: regexSource.optional(),
      minLength: z.number().int().min(1).max(500).default(1),
      maxLength: z.number().int().min(1).max(500).default(50),
    })
    .default({ kind: 'any', minLength: 1, maxLength: 50 }),
});
const NumberQuestionSchema = z.object({
  ...base,
  type: z.literal('number'),
  min: z.number().default(0),
  max: z.number().default(1_000_000),
  integer: z.boolean().default(true),
  unit: z.string().trim().max(10).optional(),
});

export const PersonaQuestionSchema = z.discriminatedUnion('type', [
  SingleQuestionSchema,
  MultiQuestionSchema,
  DateQuestionSchema,
  TextQuestionSchema,
  NumberQuestionSchema,
]);

export const PersonaScriptSchema = z
  .object({
    /** Sent once, before the first question. */
    intro: z.string().trim().min(1).max(500),
    /** Sent when the last question is answered (the reward line follows it). */
    completion: z.string().trim().min(1).max(500),
    questions: z.array(PersonaQuestionSchema).min(1).max(30),
  })
  .superRefine(checkScript);

export type PersonaOption = z.infer<typeof PersonaOptionSchema>;
export type PersonaQuestion = z.infer<typeof PersonaQuestionSchema>;
export type PersonaScript = z.infer<typeof PersonaScriptSchema>;
export type PersonaScriptInput = z.input<typeof PersonaScriptSchema>;

/** Cross-field rules zod cannot express per field. */
function checkScript(
  script: { intro: string; completion: string; questions: PersonaQuestion[] },
  ctx: z.RefinementCtx,
): void {
  // Every text the chat sends is a LINE text message: the same validator as every other marketer-authored message.
  for (const key of ['intro', 'completion'] as const) checkChatText(script[key], [key], ctx);
  script.questions.forEach((q, i) => checkChatText(q.prompt, ['questions', i, 'prompt'], ctx));
  const ids = new Set<string>();
  const fields = new Set<string>();
  script.questions.forEach((q, i) => {
    const at = (msg: string, ...path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', message: msg, path: ['questions', i, ...path] });
    if (ids.has(q.id)) at(`題目代號「${q.id}」重複`, 'id');
    ids.add(q.id);
    if ('options' in q) checkOptions(q, at);
    if (q.type === 'date') checkDatePicker(q, at);
    const field = 'field' in q ? q.field : undefined;
    if (!field) return;
    if (fields.has(field)) at(`欄位「${field}」已由其他題目填寫`, 'field');
    fields.add(field);
    if (field === 'birthday' && q.type !== 'date') at('生日欄位必須使用日期題', 'field');
    if (field !== 'birthday' && q.type === 'date') at('日期題只能填寫生日欄位', 'field');
    if (field === 'email' && (q.type !== 'text' || q.validator.kind !== 'email'))
      at('Email 欄位必須是 email 驗證的文字題', 'field');
    if (field === 'phone' && (q.type !== 'text' || q.validator.kind !== 'phone'))
      at('手機欄位必須是手機驗證的文字題', 'field');
    if (field === 'gender' && q.type === 'single') {
      const bad = q.options.filter((o) => !(GENDER_VALUES as readonly string[]).includes(o.value ?? o.id));
      if (bad.length) at(`性別選項的值必須是 ${GENDER_VALUES.join('/')}`, 'options');
    }
    if (field === 'gender' && q.type !== 'single') at('性別欄位必須是單選題', 'field');
  });
}

function checkChatText(text: string, path: (string | number)[], ctx: z.RefinementCtx): void {
  for (const issue of checkLineMessage({ type: 'text', text }))
    if (issue.path[0] === 'text') ctx.addIssue({ code: 'custom', message: issue.message, path });
}

/** The question's LINE date picker (the one the chat will show), checked by LINE's rules, at the script's fields. */
function checkDatePicker(
  q: Extract<PersonaQuestion, { type: 'date' }>,
  at: (msg: string, ...path: (string | number)[]) => void,
): void {
  const picker = {
    type: 'datetimepicker',
    label: '選擇日期',
    data: `persona:${q.id}:date`,
    mode: 'date',
    initial: q.initial,
    min: q.minDate,
    ...(q.maxDate ? { max: q.maxDate } : {}),
  };
  const field: Record<string, string> = { min: 'minDate', max: 'maxDate', initial: 'initial' };
  for (const issue of checkLineAction(picker, 'quickReply')) {
    const key = field[String(issue.path[0])];
    if (key) at(issue.message, key);
  }
}

function checkOptions(
  q: Extract<PersonaQuestion, { options: unknown }>,
  at: (msg: string, ...path: (string | number)[]) => void,
): void {
  const optionIds = new Set<string>();
  q.options.forEach((o, j) => {
    if (optionIds.has(o.id)) at(`選項代號「${o.id}」重複`, 'options');
    optionIds.add(o.id);
    // The option is a postback quick reply whose label and echoed text are the label: LINE's rules decide.
    const button = { type: 'postback', label: o.label, data: `persona:${q.id}:pick:${o.id}`, displayText: o.label };
    for (const issue of checkLineAction(button, 'quickReply'))
      if (issue.path[0] === 'label') at(issue.message, 'options', j, 'label');
  });
  // Buttons: the options, plus 完成 for multi choice, plus 略過 when skippable.
  const buttons = q.options.length + (q.type === 'multi' ? 1 : 0) + (q.skippable ? 1 : 0);
  if (buttons > MAX_QUICK_REPLIES)
    at(`選項太多：LINE 最多顯示 ${MAX_QUICK_REPLIES} 個按鈕（含「完成」「略過」）`, 'options');
  if (q.type === 'multi' && q.options.some((o) => o.askText)) at('複選題不支援「其他（自行輸入）」選項', 'options');
  if (q.type === 'single' && q.options.filter((o) => o.askText).length > 1)
    at('只能有一個「其他（自行輸入）」選項', 'options');
}
