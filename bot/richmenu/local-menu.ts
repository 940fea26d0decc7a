import type { Runtime } from '../../server/runtime';
import { ensureRichMenu } from './install';

/**
 * Local start-up: the in-process emulator starts empty, so the default menu is installed into it and the dev
 * chat shows the same menu friends see on real LINE. Real LINE is never touched here (`npm run richmenu` is the
 * deliberate command for that). Returns banner lines.
 */
export async function ensureLocalRichMenu(runtime: Runtime): Promise<string[]> {
  if (!runtime.local.emulator) return [];
  try {
    const { created } = await ensureRichMenu(
      { channelAccessToken: runtime.config.line.channelAccessToken, baseURL: runtime.local.emulator.baseURL },
      runtime.deps.links,
    );
    return created
      ? ['Rich menu     default menu installed in the emulator (npm run richmenu does the same on LINE)']
      : [];
  } catch (err) {
    runtime.deps.logger.warn({ err }, 'could not install the rich menu into the emulator');
    return [];
  }
}
