import { forbidden } from '../shared/errors';
import { can } from './roles';
import type { ConsoleUserView } from './user.service';

/**
 * The store a counter action is recorded for. Whoever may act for any store (admins) names it, falling back to their
 * own; everybody else is bound to the store an admin assigned to their account, server-side: a `storeId` from the
 * request is accepted only when it is that store, and refused (403 `store_not_assigned`) otherwise.
 */
export function counterStoreFor(
  user: Pick<ConsoleUserView, 'role' | 'storeId'>,
  requested: string | undefined,
): string | undefined {
  const asked = requested?.trim() || undefined;
  if (can(user.role, 'counter.any-store')) return asked ?? user.storeId;
  if (asked && asked !== user.storeId) {
    throw forbidden(
      user.storeId
        ? `您的帳號只能替門市「${user.storeId}」操作。`
        : '您的帳號尚未指定門市，無法替其他門市操作，請洽管理員。',
      'store_not_assigned',
    );
  }
  return user.storeId;
}
