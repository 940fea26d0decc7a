import { ensureLocalRichMenu } from '../bot/richmenu/local-menu';
import { ensureLocalAdmin } from './console-admin';
import { restoreEmulatorUsers, seedDemoData } from './demo-seed';
import { ensureLocalDemoIntegrationKey } from './demo-integration-key';
import type { Runtime } from './runtime';

/**
 * Steps run once after the server is up (demo seed and first admin in local mode, …). Each returns banner lines.
 * Capabilities add their step here.
 */
export async function runStartupHooks(runtime: Runtime): Promise<string[]> {
  const lines: string[] = [];
  lines.push(...(await ensureLocalAdmin(runtime)));
  lines.push(...(await ensureLocalDemoIntegrationKey(runtime)));
  lines.push(...(await ensureLocalDemo(runtime)));
  lines.push(...(await ensureLocalRichMenu(runtime)));
  return lines;
}

/** Local mode: a living demo brand on first start, and the emulator's users re-created on every start. */
async function ensureLocalDemo(runtime: Runtime): Promise<string[]> {
  if (runtime.config.mode !== 'local' || !runtime.config.demo.seed) return [];
  const { deps } = runtime;
  const seeded = await seedDemoData({
    messenger: deps.messenger,
    now: deps.clock(),
    timeZone: runtime.config.timeZone,
    erasureSecret: runtime.config.privacy.erasureHmacSecret,
    replies: deps.replies,
    cardUrl: deps.links.card(),
  });
  const restored = runtime.local.emulator ? await restoreEmulatorUsers(runtime.local.emulator) : 0;
  return [
    `Demo data    ${seeded.created ? `created (${seeded.members} members, purchases, coupons, a campaign)` : 'present'}; ${restored} emulator users restored`,
  ];
}
