import type { ConsoleRole } from '../../models/console-user.model';

/**
 * What each console role may do. Routes ask for a permission, never for a role, so a role can change shape here
 * without touching the routes.
 */
export const PERMISSIONS = [
  'members.read', // search, member page, timeline
  'members.write', // tags, notes, profile fields
  'members.import', // CSV import
  'members.export', // CSV export
  'counter', // look up a member, redeem coupons, record purchases
  'counter.any-store', // act at the counter for any store (others are bound to their assigned store)
  'points.adjust', // manual points with a reason
  'points.approve', // approve or reject adjustments held over a role's cap (admin, #16.5)
  'segments', // rule builder, RFM
  'campaigns', // compose, schedule, stats
  'coupons.manage', // coupon templates, issuing coupons
  'coupons.reverse', // undo a redemption (admin)
  'purchases.refund', // refund a recorded purchase from the console, in full or in part (admin, #16)
  'stamps.manage', // stamp-card templates (marketer, admin); manual stamps need only 'counter' (#16.1)
  'reports', // dashboard
  'settings', // program settings, persona script
  'replies', // the chat: editable texts, FAQ, keyword auto-replies, unanswered phrases (#13)
  'users', // console accounts
  'api-keys', // integration keys
  'audit.read', // audit log
  'inbox', // the 1:1 inbox: read and answer conversations, canned replies (#13.5)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const MARKETER: Permission[] = [
  'members.read',
  'members.write',
  'members.import',
  'members.export',
  'counter',
  'points.adjust',
  'segments',
  'campaigns',
  'coupons.manage',
  'stamps.manage',
  'reports',
  'inbox',
  'replies',
];
// Staff look members up at the counter (a compact card), not through the member list.
// They also answer customers in the inbox (which shows the member beside the chat).
const STAFF: Permission[] = ['counter', 'points.adjust', 'inbox'];

const GRANTS: Record<ConsoleRole, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  marketer: new Set(MARKETER),
  staff: new Set(STAFF),
};

export function can(role: ConsoleRole, permission: Permission): boolean {
  return GRANTS[role]?.has(permission) ?? false;
}

export function permissionsOf(role: ConsoleRole): Permission[] {
  return PERMISSIONS.filter((p) => can(role, p));
}
