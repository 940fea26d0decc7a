import fs from 'node:fs';
import path from 'node:path';

/*
 * File names that carry meaning, checked on the files themselves (read with fs, nothing mocked):
 *
 * 1. Routes. Every file under api/ or bot/ that creates an Express router (`Router(`, e.g. `express.Router()` or
 *    `Router({ mergeParams: true })`) is named `*.routes.ts`; an index.ts never holds routes.
 *
 * 2. Services. Under domain/, a file is named `*.service.ts` if and only if it does I/O itself, which means at least one of:
 *    a. a value import from models/ (a mongoose model: it reads or writes the database). `import type { … }`, or an
 *       import whose every specifier is `type`-qualified, is not I/O;
 *    b. a call of `fetch(` (an HTTP request);
 *    c. a call through a port it was handed: a method of a `messenger` (`messenger.pushMessage(…)`,
 *       `deps.messenger?.multicast(…)`), or a function held in a `deps` parameter (`deps.verifyIdToken(…)`).
 *    Comments are ignored. Calling another service does not count: the file that calls it says so by importing a
 *    `*.service` module, and a pure helper may still import a pure function that happens to live in a service file.
 */

const root = path.resolve(__dirname, '../../..');

function filesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .sort();
}

function codeOf(file: string): string {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  // Block comments, then line comments that start a line or follow whitespace (so `https://…` in a string survives).
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** The import declarations of a file whose specifier points into models/, with their clause text. */
function modelImports(code: string): Array<{ clause: string; from: string }> {
  const found: Array<{ clause: string; from: string }> = [];
  const re = /^\s*import\s+([\s\S]*?)\s*from\s*'([^']+)'|^\s*import\s*'([^']+)'/gm;
  for (const m of code.matchAll(re)) {
    const from = m[2] ?? m[3];
    if (/(^|\/)models\//.test(from)) found.push({ clause: m[1] ?? '', from });
  }
  return found;
}

function isTypeOnly(clause: string): boolean {
  if (/^type\s/.test(clause)) return true;
  const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!named) return false;
  const specifiers = named[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return specifiers.length > 0 && specifiers.every((s) => /^type\s/.test(s));
}

/** Why a domain file counts as doing I/O (empty: it does none). */
function ioReasons(file: string): string[] {
  const code = codeOf(file);
  const reasons: string[] = [];
  const valueImports = modelImports(code).filter((i) => !isTypeOnly(i.clause));
  if (valueImports.length) reasons.push(`imports ${valueImports.map((i) => i.from).join(', ')}`);
  if (/\bfetch\(/.test(code)) reasons.push('calls fetch(');
  if (/\bmessenger\??\.\w+\(/.test(code)) reasons.push('calls the messenger');
  if (/\bdeps\??\.\w+\(/.test(code)) reasons.push('calls a deps port');
  return reasons;
}

describe('file names', () => {
  it('every file that creates an Express router under api/ or bot/ is a *.routes.ts, never an index.ts', () => {
    const routers = [...filesUnder('api'), ...filesUnder('bot')].filter((f) => /\bRouter\(/.test(codeOf(f)));
    expect(routers.length).toBeGreaterThan(0);
    expect(routers.filter((f) => !f.endsWith('.routes.ts'))).toEqual([]);
    expect(routers.filter((f) => path.basename(f) === 'index.ts')).toEqual([]);
  });

  it('under domain/, a file is a *.service.ts exactly when it does I/O', () => {
    const files = filesUnder('domain');
    expect(files.length).toBeGreaterThan(0);
    const servicesWithoutIo = files.filter((f) => f.endsWith('.service.ts') && ioReasons(f).length === 0);
    const ioOutsideServices = files
      .filter((f) => !f.endsWith('.service.ts'))
      .map((f) => ({ file: f, reasons: ioReasons(f) }))
      .filter((f) => f.reasons.length > 0)
      .map((f) => `${f.file}: ${f.reasons.join('; ')}`);
    expect(servicesWithoutIo).toEqual([]);
    expect(ioOutsideServices).toEqual([]);
  });

  it('the I/O rule tells a model value import from a type-only one', () => {
    expect(isTypeOnly('type { MemberDoc }')).toBe(true);
    expect(isTypeOnly('{ type MemberDoc, type Tier }')).toBe(true);
    expect(isTypeOnly('{ Member, type MemberDoc }')).toBe(false);
    expect(isTypeOnly('{ Member }')).toBe(false);
    expect(modelImports("import { Member } from '../../models/member.model';\nimport x from 'zod';")).toEqual([
      { clause: '{ Member }', from: '../../models/member.model' },
    ]);
    expect(modelImports("import '../models/member.model';")).toEqual([{ clause: '', from: '../models/member.model' }]);
  });
});
