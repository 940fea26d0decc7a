import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { IntegrationKey } from '../../models/integration-key.model';
import { notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { isObjectId } from '../../shared/ids';

/**
 * API keys of POS / e-commerce integrations: `hgk_` + 32 random base64url characters. Only the SHA-256 is stored
 * (a 192-bit random secret needs no slow password hash), and the plaintext is shown once, at creation.
 */
const KEY_PREFIX = 'hgk_';
/** How often `lastUsedAt` is written at most (a busy POS must not write on every request). */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export interface IntegrationKeyView {
  id: string;
  name: string;
  source: string;
  prefix: string;
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface AuthenticatedIntegration {
  id: string;
  name: string;
  source: string;
}

const CreateSchema = z.object({
  name: z.string().trim().min(1, '請輸入名稱').max(60),
  source: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, '來源代碼只能用小寫英文、數字、- 或 _')
    .optional(),
});

/**
 * Creates a key for an integration. `source` (default: a slug of the name) scopes order ids: give a replacement
 * key of the same POS the same source so its orders stay idempotent across key rotation.
 */
export async function createIntegrationKey(
  name: string,
  opts: { source?: string; actor?: string } = {},
): Promise<{ id: string; key: string; source: string }> {
  const v = parseOrThrow(CreateSchema, { name, source: opts.source });
  const source = v.source ?? slugify(v.name);
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const doc = await IntegrationKey.create({
    name: v.name,
    source,
    prefix: key.slice(0, 10),
    hash: hashApiKey(key),
    createdBy: opts.actor,
  });
  return { id: String(doc._id), key, source };
}

/** Stores a key whose plaintext the caller already knows (the local demo key kept per install); idempotent. */
export async function ensureIntegrationKey(
  name: string,
  key: string,
  source: string,
): Promise<{ id: string; created: boolean }> {
  const hash = hashApiKey(key);
  const res = await IntegrationKey.findOneAndUpdate(
    { hash },
    { $setOnInsert: { name, source, prefix: key.slice(0, 10), hash, createdBy: 'system' } },
    { upsert: true, returnDocument: 'after', includeResultMetadata: true },
  );
  return { id: String(res.value!._id), created: !res.lastErrorObject?.updatedExisting };
}

export async function listIntegrationKeys(): Promise<IntegrationKeyView[]> {
  const keys = await IntegrationKey.find({}).sort({ createdAt: -1 }).lean();
  return keys.map((k) => ({
    id: String(k._id),
    name: k.name,
    source: k.source,
    prefix: k.prefix,
    createdAt: (k as { createdAt?: Date }).createdAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  }));
}

/** Revokes a key at once (the next request with it gets 401). */
export async function revokeIntegrationKey(id: string, opts: { actor?: string; now?: Date } = {}): Promise<void> {
  if (!isObjectId(id)) throw notFound('找不到這把 API 金鑰。', 'api_key_not_found');
  const res = await IntegrationKey.updateOne(
    { _id: id },
    { $set: { revokedAt: opts.now ?? new Date(), revokedBy: opts.actor } },
  );
  if (res.matchedCount === 0) throw notFound('找不到這把 API 金鑰。', 'api_key_not_found');
}

/** The integration a presented key belongs to, or null (unknown, malformed or revoked). */
export async function authenticateApiKey(
  key: string,
  now: Date = new Date(),
): Promise<AuthenticatedIntegration | null> {
  if (typeof key !== 'string' || !key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const doc = await IntegrationKey.findOne(
    { hash: hashApiKey(key), revokedAt: null },
    { name: 1, source: 1, lastUsedAt: 1 },
  ).lean();
  if (!doc) return null;
  if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await IntegrationKey.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } });
  }
  return { id: String(doc._id), name: doc.name, source: doc.source };
}

function slugify(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return ascii || `integration-${randomBytes(3).toString('hex')}`;
}
