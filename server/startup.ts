import { ensureLocalAdmin } from './console-admin';
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
  return lines;
}
