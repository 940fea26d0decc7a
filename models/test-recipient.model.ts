import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A LINE account that campaign test sends may go to: a console user's own LINE (linked by a one-time code typed
 * in the chat) or a follower an admin listed. Test sends go nowhere else, never to an arbitrary member.
 */
const testRecipientSchema = new Schema(
  {
    lineUserId: { type: String, required: true },
    /** What the console shows in the test-send picker. */
    label: { type: String, required: true },
    source: { type: String, enum: ['linked', 'admin'], required: true },
    /** `linked`: the console user who proved this LINE account is theirs. */
    consoleUserId: String,
    addedBy: { type: String, required: true },
  },
  { timestamps: true },
);
testRecipientSchema.index({ lineUserId: 1 }, { unique: true });
testRecipientSchema.index({ consoleUserId: 1 }, { sparse: true });

export type TestRecipientFields = InferSchemaType<typeof testRecipientSchema>;
export const TestRecipient = mongoose.model('TestRecipient', testRecipientSchema);
