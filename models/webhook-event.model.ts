import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * Every webhook event as received, stored under LINE's `webhookEventId` before the 200 goes back,
 * so a redelivery is recognised and an event interrupted by a crash is processed on the next sweep.
 */
const webhookEventSchema = new Schema({
  webhookEventId: { type: String, required: true },
  type: { type: String, required: true },
  sourceType: String,
  userId: String,
  payload: { type: Schema.Types.Mixed, required: true },
  receivedAt: { type: Date, required: true },
  /** Arrival order (receivedAt in ms × 1000 + position in its request): one user's events are processed in it. */
  seq: Number,
  redeliveries: { type: Number, default: 0 },
  status: { type: String, enum: ['pending', 'processing', 'done', 'failed', 'ignored'], default: 'pending' },
  attempts: { type: Number, default: 0 },
  /** A processing claim expires, so a crashed instance's event is picked up again. */
  lockedUntil: Date,
  processedAt: Date,
  /**
   * Set only when the event is handled (done/ignored): the TTL index below removes it then. Pending, processing
   * and failed events have none, so the TTL never takes an event before it was handled.
   */
  expireAt: Date,
  error: String,
});
webhookEventSchema.index({ webhookEventId: 1 }, { unique: true });
webhookEventSchema.index({ status: 1, receivedAt: 1 });
// TTL (#11.4): a handled event is kept WEBHOOK_EVENT_RETENTION_DAYS (default 30), then MongoDB's TTL monitor
// deletes it. Documents without `expireAt` never expire.
webhookEventSchema.index({ expireAt: 1 }, { expireAfterSeconds: 0 });
// Erasure and support look-ups of one LINE user's events use its prefix; the claim asks "is an earlier event of this user still unfinished?", asked before each claim (per-user order).
webhookEventSchema.index({ userId: 1, status: 1, seq: 1 });

export type WebhookEventFields = InferSchemaType<typeof webhookEventSchema>;
export const WebhookEvent = mongoose.model('WebhookEvent', webhookEventSchema);
