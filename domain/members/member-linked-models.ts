import mongoose from 'mongoose';

/**
 * Every collection that holds rows about one member, found by a `memberId` path, so capabilities added later are
 * covered by the data export and by erasure without anyone remembering to list them.
 */
export function memberLinkedModels(): mongoose.Model<unknown>[] {
  return Object.values(mongoose.models).filter((m) => m.modelName !== 'Member' && Boolean(m.schema.path('memberId')));
}
