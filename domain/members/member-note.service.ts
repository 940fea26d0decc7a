import { MemberNote } from '../../models/member-note.model';
import { Member } from '../../models/member.model';
import { recordInteraction } from '../interactions/interaction.service';
import { forbidden, notFound } from '../shared/errors';

export interface MemberNoteView {
  id: string;
  body: string;
  authorId: string;
  authorName?: string;
  at: Date;
}

/** Adds a staff note to a member; it also shows on the member's timeline. */
export async function addMemberNote(
  memberId: string,
  body: string,
  author: { id: string; name?: string },
  now: Date,
): Promise<MemberNoteView> {
  if (!(await Member.exists({ _id: memberId, erasedAt: null }))) throw notFound('找不到這位會員。', 'member_not_found');
  const note = await MemberNote.create({
    memberId,
    body: body.trim(),
    authorId: author.id,
    authorName: author.name,
    at: now,
  });
  await recordInteraction({
    memberId,
    type: 'note',
    channel: 'console',
    summary: `${author.name ?? '工作人員'} 新增備註：${body.trim().slice(0, 80)}`,
    refs: { noteId: String(note._id) },
    key: `note:${note._id}`,
    at: now,
  });
  return {
    id: String(note._id),
    body: note.body,
    authorId: note.authorId,
    authorName: note.authorName ?? undefined,
    at: note.at,
  };
}

export async function listMemberNotes(memberId: string): Promise<MemberNoteView[]> {
  const notes = await MemberNote.find({ memberId, deletedAt: null }).sort({ at: -1 }).limit(200).lean();
  return notes.map((n) => ({
    id: String(n._id),
    body: n.body,
    authorId: n.authorId,
    authorName: n.authorName ?? undefined,
    at: n.at,
  }));
}

/** Soft-deletes a note; only its author or an admin may. */
export async function deleteMemberNote(
  memberId: string,
  noteId: string,
  by: { id: string; isAdmin: boolean },
  now: Date,
): Promise<MemberNoteView> {
  const note = await MemberNote.findOne({ _id: noteId, memberId, deletedAt: null }).lean();
  if (!note) throw notFound('找不到這則備註。', 'note_not_found');
  if (note.authorId !== by.id && !by.isAdmin) throw forbidden('只有撰寫者或管理員可以刪除備註。');
  await MemberNote.updateOne({ _id: noteId }, { $set: { deletedAt: now } });
  return {
    id: String(note._id),
    body: note.body,
    authorId: note.authorId,
    authorName: note.authorName ?? undefined,
    at: note.at,
  };
}
