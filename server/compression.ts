import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

/**
 * Response compression with Node's zlib (no dependency): brotli or gzip, as the client's Accept-Encoding allows.
 * - `compressSent()`: bodies given whole to `res.send`/`res.json` (the APIs' JSON, HTML pages) of at least 1 KB,
 *   compressed in one synchronous call at a fast level. Streamed responses (`res.write`/`pipe`: CSV export, any
 *   event stream) are left as they are, so nothing waits behind a buffer.
 * - `sendCompressedFile()`: the front ends' built files, compressed once at the highest level and kept in memory
 *   (they change only with a build), so a hashed asset costs a lookup, not a compression, per request.
 */
export type Encoding = 'br' | 'gzip';

const MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/;

/** The encoding to answer with: brotli first, then gzip; none when the client refuses both (q=0) or names neither. */
export function pickEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const offered = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (e: string) => (offered.get(e) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

function compress(body: Buffer, encoding: Encoding, best: boolean): Buffer {
  return encoding === 'br'
    ? zlib.brotliCompressSync(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: best ? 11 : 4,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : zlib.gzipSync(body, { level: best ? 9 : 6 });
}

/** Compresses what `res.send` (and so `res.json`) sends whole. */
export function compressSent() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      res.send = send;
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) return send(body);
      if (typeof body === 'string' && !res.get('Content-Type')) res.type('html');
      res.vary('Accept-Encoding');
      const type = String(res.get('Content-Type') ?? '');
      const encoding = pickEncoding(req.headers['accept-encoding']);
      const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      if (!encoding || raw.length < MIN_BYTES || !COMPRESSIBLE.test(type) || res.get('Content-Encoding'))
        return send(body);
      res.setHeader('Content-Encoding', encoding);
      return send(compress(raw, encoding, false));
    };
    next();
  };
}

interface CachedFile {
  mtimeMs: number;
  raw: Buffer;
  variants: Partial<Record<Encoding, Buffer>>;
}
const cache = new Map<string, CachedFile>();

/**
 * Answers with a built file compressed for the client (from memory after the first time). Returns false (the
 * caller serves the file as is) when the client takes no compression, the type is not compressible, the file is
 * tiny, or a range was asked for.
 */
export function sendCompressedFile(req: Request, res: Response, file: string, cacheControl: string): boolean {
  const type = contentType(file);
  const encoding = pickEncoding(req.headers['accept-encoding']);
  if (!type || !encoding || req.headers.range) return false;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return false;
  }
  if (!stat.isFile() || stat.size < MIN_BYTES) return false;
  let entry = cache.get(file);
  if (!entry || entry.mtimeMs !== stat.mtimeMs) {
    entry = { mtimeMs: stat.mtimeMs, raw: fs.readFileSync(file), variants: {} };
    cache.set(file, entry);
  }
  const body = (entry.variants[encoding] ??= compress(entry.raw, encoding, true));
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Encoding', encoding);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Last-Modified', stat.mtime.toUTCString());
  res.vary('Accept-Encoding');
  res.setHeader('ETag', `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}-${encoding}"`);
  if (req.fresh) {
    res.status(304).end();
    return true;
  }
  res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
  return true;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const contentType = (file: string): string | undefined => TYPES[path.extname(file).toLowerCase()];
