import { IntegrationKey } from '../models/integration-key.model';
import { ensureIntegrationKey, hashApiKey } from '../domain/integrations/api-key.service';
import type { Runtime } from './runtime';

const DEMO_SOURCE = 'demo-pos';

/**
 * Local mode: makes sure a demo POS key exists so a newcomer can post a purchase at once. The key is generated per
 * install and kept in `<LOCAL_DATA_DIR>/local-secrets.json` (server/local-secrets.ts), so only its hash is stored and
 * the banner can still show it every time. An older demo key (earlier versions derived it from a constant) is
 * revoked. Production never gets a demo key.
 */
export async function ensureLocalDemoIntegrationKey(runtime: Runtime): Promise<string[]> {
  const key = runtime.local.secrets?.demoPosKey;
  if (runtime.config.mode !== 'local' || !key) return [];
  await ensureIntegrationKey('示範 POS（本機）', key, DEMO_SOURCE);
  await IntegrationKey.updateMany(
    { source: DEMO_SOURCE, createdBy: 'system', hash: { $ne: hashApiKey(key) }, revokedAt: null },
    { $set: { revokedAt: runtime.deps.clock(), revokedBy: 'system' } },
  );
  return [
    `Demo POS key  ${key}`,
    `              curl -X POST ${runtime.url}/api/ingest/purchases -H 'Authorization: Bearer ${key}' -H 'content-type: application/json' \\`,
    `                -d '{"orderId":"A1001","member":{"memberCode":"<10-digit code>"},"amount":1280,"storeId":"taipei-101"}'`,
  ];
}
