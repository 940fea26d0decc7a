import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * The persona Q&A script as edited in the console: one document (`key: 'current'`). The script itself is validated
 * by domain/persona/persona-script.schema.ts on every read and write, so the model keeps it schema-less.
 */
const personaScriptSchema = new Schema(
  {
    key: { type: String, required: true },
    script: { type: Schema.Types.Mixed, required: true },
    /** Incremented on every save; lets the console detect a concurrent edit. */
    revision: { type: Number, default: 1 },
    updatedBy: String,
  },
  { timestamps: true, minimize: false },
);
personaScriptSchema.index({ key: 1 }, { unique: true });

export type PersonaScriptFields = InferSchemaType<typeof personaScriptSchema>;
export const PersonaScriptDoc = mongoose.model('PersonaScript', personaScriptSchema);
