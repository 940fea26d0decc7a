import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/** An API key of one POS / e-commerce integration. Only a SHA-256 hash of the key is stored. */
const integrationKeySchema = new Schema(
  {
    name: { type: String, required: true },
    /** Purchases are idempotent by (source, orderId): keys of the same integration share a source. */
    source: { type: String, required: true },
    /** First characters of the key, shown in the console so a key can be recognised without being stored. */
    prefix: { type: String, required: true },
    hash: { type: String, required: true },
    createdBy: String,
    lastUsedAt: Date,
    revokedAt: Date,
    revokedBy: String,
  },
  { timestamps: true },
);
integrationKeySchema.index({ hash: 1 }, { unique: true });

export type IntegrationKeyFields = InferSchemaType<typeof integrationKeySchema>;
export const IntegrationKey = mongoose.model('IntegrationKey', integrationKeySchema);
