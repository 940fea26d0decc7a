/**
 * The member funnel of seed 001 (AARRR / RARRA), in the order a LINE member program moves people:
 * follows → consents to marketing → completes the persona chat → first purchase → repeat purchase → refers a friend.
 */
export const FUNNEL_STAGES = [
  { key: 'followed', label: '加入好友' },
  { key: 'consented', label: '同意行銷訊息' },
  { key: 'persona', label: '完成個人問答' },
  { key: 'firstPurchase', label: '首次消費' },
  { key: 'repeatPurchase', label: '回購' },
  { key: 'referred', label: '推薦好友' },
] as const;
export type FunnelStageKey = (typeof FUNNEL_STAGES)[number]['key'];
