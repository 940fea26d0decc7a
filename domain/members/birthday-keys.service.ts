import { birthdayKeyOf, Member } from '../../models/member.model';

/**
 * Writes the `birthdayKey` (`MM-DD`) of members stored before the key existed, so the birthday job (which reads
 * only through that index) sees them. Walks the members in `_id` order in pages, one bulk write per page; safe to
 * run again (a member that has its key is not touched) and while the server runs.
 */
export async function backfillBirthdayKeys(opts: { pageSize?: number } = {}): Promise<{ updated: number }> {
  const pageSize = opts.pageSize ?? 1000;
  let updated = 0;
  const cursor = Member.find({ birthday: { $type: 'string' }, birthdayKey: null }, { birthday: 1 })
    .sort({ _id: 1 })
    .lean()
    .cursor({ batchSize: pageSize });
  let ops: Parameters<typeof Member.bulkWrite>[0] = [];
  const flush = async () => {
    if (!ops.length) return;
    const res = await Member.bulkWrite(ops, { ordered: false });
    updated += res.modifiedCount;
    ops = [];
  };
  for await (const m of cursor) {
    const key = birthdayKeyOf(m.birthday);
    if (!key) continue;
    // Conditional on the same birthday: one changed meanwhile already got its key from the write that changed it.
    ops.push({
      updateOne: {
        filter: { _id: m._id, birthday: m.birthday, birthdayKey: null },
        update: { $set: { birthdayKey: key } },
      },
    });
    if (ops.length >= pageSize) await flush();
  }
  await flush();
  return { updated };
}
