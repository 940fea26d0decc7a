import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../server/config';

const root = path.resolve(__dirname, '../../..');

/**
 * Where the product may read `process.env` besides server/config.ts, and why. Anything else (a secret, a switch)
 * belongs in the validated config.
 */
const ALLOWED: Record<string, string> = {
  'server/config.ts': 'the one reader',
  'domain/shared/logger.ts': 'the root logger exists before the config is read (LOG_LEVEL, silent under jest)',
  'bot/richmenu/render-image.ts':
    'developer tool: where Chromium is installed (CHROMIUM_PATH), not a setting of the server',
};
const PRODUCT_DIRS = ['api', 'bot', 'domain', 'jobs', 'models', 'server', 'scripts', 'local'];

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(rel);
    return /\.(ts|js)$/.test(e.name) ? [rel.split(path.sep).join('/')] : [];
  });
}

describe('environment access', () => {
  it('reads process.env only in server/config.ts (and the documented exceptions)', () => {
    const readers = PRODUCT_DIRS.flatMap(sourceFiles).filter((f) =>
      /process\.env\b/.test(fs.readFileSync(path.join(root, f), 'utf8')),
    );
    expect(readers.filter((f) => !ALLOWED[f])).toEqual([]);
  });

  it('the demo seed switch is part of the validated config', () => {
    expect(loadConfig({}, { dotenv: false }).demo.seed).toBe(true);
    expect(loadConfig({ HUIGO_SKIP_DEMO: 'true' }, { dotenv: false }).demo.seed).toBe(false);
    expect(() => loadConfig({ HUIGO_SKIP_DEMO: 'yes' }, { dotenv: false })).toThrow(/HUIGO_SKIP_DEMO/);
  });
});
