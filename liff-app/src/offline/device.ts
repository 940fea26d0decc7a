import type { Card } from '../../../api/contracts/member';
import { isSameMember, LAST_VIEW_KEY, saveLastView } from './last-view';

/**
 * What this phone keeps for the card, and forgetting it. The service worker keeps the app shell; the page keeps the
 * last member code view (last-view.ts). After 刪除我的資料 or logout nothing of the member may stay on a shared
 * phone: every storage of this origin's page is emptied and the worker removed (the next visit installs it again).
 */

/** Registers /liff/sw.js for /liff/ once the card is on screen (it must not compete with the first load). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const register = () => void navigator.serviceWorker.register('/liff/sw.js', { scope: '/liff/' }).catch(() => {});
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}

/**
 * Empties localStorage and sessionStorage (ours and the LIFF SDK's), deletes every IndexedDB database and every
 * CacheStorage cache, and unregisters the service worker. Never throws: a storage the browser refuses to open
 * holds nothing of ours.
 */
export async function forgetDevice(): Promise<void> {
  for (const store of [safe(() => localStorage), safe(() => sessionStorage)]) safe(() => store?.clear());
  await Promise.all([
    settle(async () => {
      const dbs = (await indexedDB.databases?.()) ?? [];
      await Promise.all(dbs.map((db) => db.name && deleteDatabase(db.name)));
    }),
    settle(async () => {
      if (!('caches' in self)) return;
      await Promise.all((await caches.keys()).map((k) => caches.delete(k)));
    }),
    settle(async () => {
      if (!('serviceWorker' in navigator)) return;
      await Promise.all((await navigator.serviceWorker.getRegistrations()).map((r) => r.unregister()));
    }),
  ]);
}

/** Another member's view was on this phone: drop it and the shell caches, keep the LIFF SDK's (current) login. */
async function forgetPreviousMember(keys: string[]): Promise<void> {
  for (const key of keys) safe(() => localStorage.removeItem(key));
  await settle(async () => {
    if ('caches' in self) await Promise.all((await caches.keys()).map((k) => caches.delete(k)));
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** How long one storage may take to empty before the page goes on (it keeps emptying in the background). */
const SETTLE_MS = 3000;

async function settle(fn: () => Promise<unknown>): Promise<void> {
  // A browser busy installing the service worker (or holding a database open) can leave these promises pending for
  // a long time; the member must still see that the data is gone, so each step is bounded.
  await Promise.race([fn().catch(() => {}), new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS))]);
}

/**
 * Keeps the card just read for offline use. Another member's view on this phone (a shared phone, another LINE
 * user) is dropped first, with the shell caches.
 */
export async function rememberCard(card: Card, timeZone: string, mockUser: string | null): Promise<void> {
  if (!isSameMember(card)) await forgetPreviousMember([LAST_VIEW_KEY]);
  saveLastView(card, timeZone, mockUser);
}
