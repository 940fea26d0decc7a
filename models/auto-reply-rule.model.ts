import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const TRIGGER_MODES = ['exact', 'contains', 'any'] as const;
export const RULE_REPLY_KINDS = ['text', 'flex', 'coupon', 'card'] as const;

/**
 * A keyword auto-reply: when a message meets the trigger (during the active days and hours, Asia/Taipei by
 * default), the reply is sent and the tags are added. The reply is validated by the LINE rules before it is stored
 * (domain/conversation/auto-reply-rule.service.ts). Cached per process like the FAQ.
 */
const autoReplyRuleSchema = new Schema(
  {
    name: { type: String, required: true },
    /** `exact`: the message is one of the words; `contains`: it contains every word; `any`: it contains one of them. */
    mode: { type: String, enum: TRIGGER_MODES, required: true },
    words: { type: [String], default: [] },
    /** Higher first when several rules match. */
    priority: { type: Number, default: 0 },
    /** 0 = Sunday … 6 = Saturday; empty = every day. */
    days: { type: [Number], default: [] },
    /** "HH:mm"; both empty = all day; from > to wraps past midnight (e.g. 21:00–09:00, outside opening hours). */
    from: String,
    to: String,
    reply: {
      kind: { type: String, enum: RULE_REPLY_KINDS, required: true },
      text: String,
      /** A flex message object (validated by domain/messaging/line-rules/). */
      flex: { type: Schema.Types.Mixed },
      couponTemplateId: String,
    },
    tags: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    seedKey: String,
    createdBy: String,
    updatedBy: String,
  },
  { timestamps: true, minimize: false },
);
// The console list and the cache load read every rule (a few dozen; a full read by design).
autoReplyRuleSchema.index({ priority: -1, updatedAt: -1 });
autoReplyRuleSchema.index({ seedKey: 1 }, { unique: true, sparse: true });

export type AutoReplyRuleFields = InferSchemaType<typeof autoReplyRuleSchema>;
export const AutoReplyRule = mongoose.model('AutoReplyRule', autoReplyRuleSchema);
