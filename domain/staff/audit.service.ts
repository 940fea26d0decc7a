import { AuditLog, type AuditLogFields } from '../../models/audit-log.model';
import { afterCursorFilter, decodeTimeCursor, NEWEST_FIRST, pageOf } from '../shared/time-cursor';

type AuditLogRow = AuditLogFields & { _id: unknown };

export interface AuditActor {
  id: string;
  name?: string;
  role?: string;
}

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  target?: { type: string; id?: string; label?: string };
  details?: Record<string, unknown>;
  ip?: string;
  requestId?: string;
  at: Date;
}

/** Keys whose values never go into the audit log, at any depth. */
const SECRET_KEYS = /^(password|newPassword|currentPassword|passwordHash|token|csrfToken|key|apiKey|secret|phone)$/i;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

/** Appends one audit entry: who did what to what, and when. Secrets and phone numbers are redacted. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  await AuditLog.create({
    at: entry.at,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    actorRole: entry.actor.role,
    action: entry.action,
    targetType: entry.target?.type,
    targetId: entry.target?.id,
    targetLabel: entry.target?.label,
    details: scrub(entry.details ?? {}),
    ip: entry.ip,
    requestId: entry.requestId,
  });
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** The `nextCursor` of the previous page (opaque; a malformed one → 400 `invalid_cursor`). */
  cursor?: string;
  limit?: number;
}

/**
 * Newest first, one page at a time, ordered by `(at, _id)` so entries sharing a timestamp are never skipped or
 * repeated across pages (#11.5); `action` matches a prefix (`member.` → every member write).
 */
export async function listAudit(q: AuditQuery = {}) {
  const filter: Record<string, unknown> = {};
  if (q.actorId) filter.actorId = q.actorId;
  if (q.action) filter.action = { $regex: `^${q.action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
  if (q.targetType) filter.targetType = q.targetType;
  if (q.targetId) filter.targetId = q.targetId;
  if (q.cursor) Object.assign(filter, afterCursorFilter(decodeTimeCursor(q.cursor)));
  const limit = Math.min(Math.max(1, q.limit ?? 50), 200);
  const rows = await AuditLog.find(filter)
    .sort(NEWEST_FIRST)
    .limit(limit + 1)
    .lean();
  const page = pageOf(rows, limit);
  return { entries: page.items.map(presentEntry), nextCursor: page.nextCursor };
}

function presentEntry(r: AuditLogRow) {
  return {
    id: String(r._id),
    at: r.at,
    actorId: r.actorId,
    actorName: r.actorName ?? undefined,
    actorRole: r.actorRole ?? undefined,
    action: r.action,
    target: r.targetType
      ? { type: r.targetType, id: r.targetId ?? undefined, label: r.targetLabel ?? undefined }
      : undefined,
    details: (r.details ?? {}) as Record<string, unknown>,
    ip: r.ip ?? undefined,
  };
}
