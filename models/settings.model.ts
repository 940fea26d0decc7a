import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * Small configuration documents edited from the console, one per `key` (e.g. `program`). The value is validated
 * by the owning domain service (zod) on every read and write, so the model stays schema-less on purpose.
 */
const settingsSchema = new Schema(
  {
    key: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    /** Incremented on every write; lets a console detect a concurrent edit. */
    version: { type: Number, default: 1 },
    updatedBy: String,
  },
  { timestamps: true, minimize: false },
);
settingsSchema.index({ key: 1 }, { unique: true });

export type SettingsFields = InferSchemaType<typeof settingsSchema>;
export const Settings = mongoose.model('Settings', settingsSchema);
