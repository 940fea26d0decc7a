import { Settings } from '../../models/settings.model';

/**
 * Nobody on duty in the 1:1 inbox (#13.5): a text the bot cannot answer gets the fallback and is not handed to a
 * colleague, so a test can send several of them in a row without the bot pausing.
 */
export async function closeInbox(): Promise<void> {
  await Settings.updateOne(
    { key: 'program' },
    { $set: { 'value.inbox.openingHours': [null, null, null, null, null, null, null] } },
    { upsert: true },
  );
}
