import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const CONSOLE_ROLES = ['admin', 'marketer', 'staff'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A person who signs in to the console: an admin, a marketer or a store staff member. */
const consoleUserSchema = new Schema(
  {
    /** Login name, stored lower-case. */
    username: { type: String, required: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: CONSOLE_ROLES, required: true },
    /** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`; never the password itself. */
    passwordHash: { type: String, required: true, select: false },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
    /** The user's own LINE userId, proven by a one-time code typed in the chat; a campaign test recipient. */
    lineUserId: String,
    /** SHA-256 of the pending one-time LINE link code, and until when it may be typed in the chat. */
    lineLinkCodeHash: { type: String, select: false },
    lineLinkCodeExpiresAt: { type: Date, select: false },
    /** Staff: the store they usually work at (recorded on redemptions and purchases). */
    storeId: String,
    lastLoginAt: Date,
    passwordChangedAt: Date,
    createdBy: String,
  },
  { timestamps: true },
);
consoleUserSchema.index({ username: 1 }, { unique: true });
consoleUserSchema.index({ lineLinkCodeHash: 1 }, { sparse: true });

export type ConsoleUserFields = InferSchemaType<typeof consoleUserSchema>;
export const ConsoleUser = mongoose.model('ConsoleUser', consoleUserSchema);
