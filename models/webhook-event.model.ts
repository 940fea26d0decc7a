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
  redeliveries: { type: Number, default: 0 },
  status: { type: String, enum: ['pending', 'processing', 'done', 'failed', 'ignored'], default: 'pending' },
  attempts: { type: Number, default: 0 },
  /** A processing claim expires, so a crashed instance's event is picked up again. */
  lockedUntil: Date,
  processedAt: Date,
  error: String,
});
webhookEventSchema.index({ webhookEventId: 1 }, { unique: true });
webhookEventSchema.index({ status: 1, receivedAt: 1 });
// Erasure and support look-ups of one LINE user's events.
webhookEventSchema.index({ userId: 1 });

export type WebhookEventFields = InferSchemaType<typeof webhookEventSchema>;
export const WebhookEvent = mongoose.model('WebhookEvent', webhookEventSchema);
