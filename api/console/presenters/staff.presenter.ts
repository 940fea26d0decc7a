import type { listAudit } from '../../../domain/staff/audit.service';
import type { IntegrationKeyView as DomainKeyView } from '../../../domain/integrations/api-key.service';
import type { Permission as DomainPermission } from '../../../domain/staff/roles';
import type { ConsoleUserView as DomainUserView } from '../../../domain/staff/user.service';
import type {
  AuditEntryView,
  AuditPage,
  ConsoleUserRow,
  ConsoleUserView,
  IntegrationKeyView,
  Permission,
  SessionResponse,
} from '../../contracts/console';
import { toWire } from './wire';

/** Console accounts, sessions, the audit log and integration keys as they travel. */

export function presentUser(user: DomainUserView): ConsoleUserView {
  return toWire(user);
}

/** A row of 帳號管理: the account and, when some IP is locked out of it right now, the lock. */
export function presentUserRow(user: DomainUserView, lock: { ips: number; until: Date } | null): ConsoleUserRow {
  return { ...presentUser(user), signInLock: lock ? toWire(lock) : null };
}

export function presentSession(
  user: DomainUserView,
  permissions: DomainPermission[],
  csrfToken: string,
  mode: SessionResponse['mode'],
  timeZone: string,
  brand?: SessionResponse['brand'],
): SessionResponse {
  return {
    user: presentUser(user),
    permissions: permissions satisfies Permission[],
    csrfToken,
    mode,
    timeZone,
    ...(brand ? { brand } : {}),
  };
}

export function presentAuditPage(page: Awaited<ReturnType<typeof listAudit>>): AuditPage {
  return { entries: toWire(page.entries) satisfies AuditEntryView[], nextCursor: page.nextCursor };
}

export function presentIntegrationKeys(keys: DomainKeyView[]): IntegrationKeyView[] {
  return toWire(keys);
}
