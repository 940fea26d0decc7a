import { ensureIntegrationKey, localDemoApiKey } from '../domain/integrations/api-key.service';
import type { Runtime } from './runtime';

/**
 * Local mode: makes sure a demo POS key exists so a newcomer can post a purchase at once. The key is derived
 * from the local channel secret (stable across restarts), so only its hash is stored and the banner can still
 * show it every time. Production never gets a derived key.
 */
export async function ensureLocalDemoIntegrationKey(runtime: Runtime): Promise<string[]> {
  if (runtime.config.mode !== 'local') return [];
  const key = localDemoApiKey(runtime.config.line.channelSecret);
  await ensureIntegrationKey('示範 POS（本機）', key, 'demo-pos');
  return [
    `Demo POS key  ${key}`,
    `              curl -X POST ${runtime.url}/api/ingest/purchases -H 'Authorization: Bearer ${key}' -H 'content-type: application/json' \\`,
    `                -d '{"orderId":"A1001","member":{"memberCode":"<10-digit code>"},"amount":1280,"storeId":"taipei-101"}'`,
  ];
}
