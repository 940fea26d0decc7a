import type { Runtime } from './runtime';

/**
 * Steps run once after the server is up (demo seed and first admin in local mode, …). Each returns banner lines.
 * Capabilities add their step here.
 */
export async function runStartupHooks(_runtime: Runtime): Promise<string[]> {
  return [];
}
