import type { Types } from 'mongoose';
import { ConsoleUser, type ConsoleRole } from '../../models/console-user.model';
import { AppError, badRequest, conflict, notFound } from '../shared/errors';
import { decoyPasswordHash, generatePassword, hashPassword, passwordProblem, verifyPassword } from './password';
import { isObjectId } from '../../shared/ids';

/** A console user as the rest of the console sees it (never the hash). */
export interface ConsoleUserView {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  status: 'active' | 'disabled';
  lineUserId?: string;
  storeId?: string;
  lastLoginAt?: Date;
  createdAt?: Date;
}

export function toUserView(u: {
  _id: Types.ObjectId | string;
  username: string;
  displayName: string;
  role: string;
  status?: string | null;
  lineUserId?: string | null;
  storeId?: string | null;
  lastLoginAt?: Date | null;
  createdAt?: Date | null;
}): ConsoleUserView {
  return {
    id: String(u._id),
    username: u.username,
    displayName: u.displayName,
    role: u.role as ConsoleRole,
    status: (u.status ?? 'active') as 'active' | 'disabled',
    lineUserId: u.lineUserId ?? undefined,
    storeId: u.storeId ?? undefined,
    lastLoginAt: u.lastLoginAt ?? undefined,
    createdAt: u.createdAt ?? undefined,
  };
}

export interface NewConsoleUser {
  username: string;
  displayName: string;
  role: ConsoleRole;
  /** Omit to generate one (returned once). */
  password?: string;
  lineUserId?: string;
  storeId?: string;
  createdBy?: string;
}

export const normalizeUsername = (username: string) => username.trim().toLowerCase();

/** Creates a console user; returns the plaintext password only when it was generated here. */
export async function createConsoleUser(
  input: NewConsoleUser,
  now: Date,
): Promise<{ user: ConsoleUserView; generatedPassword?: string }> {
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw badRequest('weak_password', problem);
  const username = normalizeUsername(input.username);
  if (await ConsoleUser.exists({ username })) throw conflict('username_taken', `帳號「${username}」已經有人使用。`);
  try {
    const doc = await ConsoleUser.create({
      username,
      displayName: input.displayName.trim(),
      role: input.role,
      passwordHash: await hashPassword(password),
      lineUserId: input.lineUserId || undefined,
      storeId: input.storeId || undefined,
      passwordChangedAt: now,
      createdBy: input.createdBy ?? 'system',
    });
    return { user: toUserView(doc), ...(input.password ? {} : { generatedPassword: password }) };
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw conflict('username_taken', `帳號「${username}」已經有人使用。`);
    throw err;
  }
}

export async function listConsoleUsers(): Promise<ConsoleUserView[]> {
  const users = await ConsoleUser.find({}).sort({ role: 1, username: 1 }).lean();
  return users.map(toUserView);
}

export async function getConsoleUser(id: string): Promise<ConsoleUserView | null> {
  if (!isObjectId(id)) return null;
  const u = await ConsoleUser.findById(id).lean();
  return u ? toUserView(u) : null;
}

export interface ConsoleUserPatch {
  displayName?: string;
  role?: ConsoleRole;
  status?: 'active' | 'disabled';
  lineUserId?: string | null;
  storeId?: string | null;
}

/**
 * Updates a user. Refuses to leave the console without an active admin (demoting or disabling the last one),
 * which would lock everybody out of user management.
 */
export async function updateConsoleUser(
  id: string,
  patch: ConsoleUserPatch,
): Promise<{ before: ConsoleUserView; after: ConsoleUserView }> {
  const before = await getConsoleUser(id);
  if (!before) throw notFound('找不到這個帳號。', 'user_not_found');
  const losesAdmin =
    before.role === 'admin' &&
    before.status === 'active' &&
    ((patch.role && patch.role !== 'admin') || patch.status === 'disabled');
  if (losesAdmin && (await ConsoleUser.countDocuments({ role: 'admin', status: 'active' })) <= 1) {
    throw conflict('last_admin', '這是最後一位啟用中的管理員，不能停用或變更角色。');
  }
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  if (patch.displayName !== undefined) $set.displayName = patch.displayName.trim();
  if (patch.role) $set.role = patch.role;
  if (patch.status) $set.status = patch.status;
  for (const key of ['lineUserId', 'storeId'] as const) {
    if (patch[key] === null || patch[key] === '') $unset[key] = 1;
    else if (patch[key] !== undefined) $set[key] = patch[key];
  }
  const after = await ConsoleUser.findByIdAndUpdate(
    id,
    { $set, ...(Object.keys($unset).length ? { $unset } : {}) },
    { returnDocument: 'after' },
  ).lean();
  // The count above may be stale (two admins demoting each other at once): check again now that the write is in,
  // and put this account back if it left nobody to manage users.
  if (losesAdmin && (await ConsoleUser.countDocuments({ role: 'admin', status: 'active' })) === 0) {
    await ConsoleUser.updateOne({ _id: id }, { $set: { role: before.role, status: before.status } });
    throw conflict('last_admin', '這是最後一位啟用中的管理員，不能停用或變更角色。');
  }
  return { before, after: toUserView(after!) };
}

/** Sets a new password (generated when omitted; returned once). */
export async function setConsoleUserPassword(
  id: string,
  now: Date,
  password?: string,
): Promise<{ generatedPassword?: string }> {
  const next = password ?? generatePassword();
  const problem = passwordProblem(next);
  if (problem) throw badRequest('weak_password', problem);
  const res = await ConsoleUser.updateOne(
    { _id: id },
    { $set: { passwordHash: await hashPassword(next), passwordChangedAt: now } },
  );
  if (res.matchedCount === 0) throw notFound('找不到這個帳號。', 'user_not_found');
  return password ? {} : { generatedPassword: next };
}

/** A user changes their own password; the current one is required. */
export async function changeOwnPassword(id: string, current: string, next: string, now: Date): Promise<void> {
  const user = await ConsoleUser.findById(id).select('+passwordHash').lean();
  if (!user || !(await verifyPassword(current, user.passwordHash)))
    throw new AppError('wrong_password', 400, '目前的密碼不正確。');
  await setConsoleUserPassword(id, now, next);
}

/**
 * Checks a username/password pair. Unknown users cost the same scrypt as known ones, so response time does not
 * reveal which usernames exist. Disabled users fail like a wrong password.
 */
export async function verifyCredentials(username: string, password: string): Promise<ConsoleUserView | null> {
  const user = await ConsoleUser.findOne({ username: normalizeUsername(username) })
    .select('+passwordHash')
    .lean();
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !ok || user.status !== 'active') return null;
  return toUserView(user);
}

export async function markLoggedIn(id: string, now: Date): Promise<void> {
  await ConsoleUser.updateOne({ _id: id }, { $set: { lastLoginAt: now } });
}

/**
 * Makes sure the console has an admin. Creates `username` with `password` when no admin exists; when `resetTo`
 * is given and the user exists, its password is reset (local mode shows the password on every start).
 */
export async function ensureAdmin(opts: {
  username: string;
  displayName: string;
  password: string;
  reset: boolean;
  now: Date;
}): Promise<'created' | 'reset' | 'exists'> {
  const username = normalizeUsername(opts.username);
  const existing = await ConsoleUser.findOne({ username }).lean();
  if (!existing) {
    await createConsoleUser(
      { username, displayName: opts.displayName, role: 'admin', password: opts.password },
      opts.now,
    );
    return 'created';
  }
  if (!opts.reset) return 'exists';
  await setConsoleUserPassword(String(existing._id), opts.now, opts.password);
  await ConsoleUser.updateOne({ _id: existing._id }, { $set: { role: 'admin', status: 'active' } });
  return 'reset';
}
