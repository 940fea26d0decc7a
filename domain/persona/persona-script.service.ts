import { PersonaScriptDoc } from '../../models/persona-script.model';
import { conflict } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { parseOrThrow } from '../shared/validation';
import { DEFAULT_PERSONA_SCRIPT } from './default-script';
import { type PersonaScript, PersonaScriptSchema } from './persona-script.schema';

const log = moduleLogger('persona-script');
const KEY = 'current';

export interface StoredPersonaScript {
  script: PersonaScript;
  /** 0 = the built-in default (never saved). */
  revision: number;
  isDefault: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** The built-in default script, validated (it is data like any other). */
export function defaultPersonaScript(): PersonaScript {
  // Validated once per process (the default is code, not data that changes): not re-serialised on every event.
  defaultParsed ??= PersonaScriptSchema.parse(DEFAULT_PERSONA_SCRIPT);
  return structuredClone(defaultParsed);
}
let defaultParsed: PersonaScript | undefined;

/**
 * The chat reads the script on every event, and validating it runs LINE's rules on every text and button: the last
 * script parsed is remembered by its JSON, so an unchanged script is validated once (a copy is handed out).
 */
let lastParsed: { json: string; result: ReturnType<typeof PersonaScriptSchema.safeParse> } | null = null;
function parseCached(script: unknown): ReturnType<typeof PersonaScriptSchema.safeParse> {
  const json = JSON.stringify(script);
  if (lastParsed?.json !== json) lastParsed = { json, result: PersonaScriptSchema.safeParse(script) };
  return lastParsed.result;
}

/**
 * The script the chat runs: the one saved from the console, else the default. A stored script that no longer
 * passes validation (a rule became stricter) falls back to the default rather than breaking the chat.
 */
export async function getPersonaScript(): Promise<PersonaScript> {
  if (chatCopy && performance.now() - chatCopy.at < chatCopyTtlMs) return chatCopy.script;
  const at = performance.now();
  const generation = chatCopyGeneration;
  const script = deepFreeze((await getPersonaScriptRecord()).script);
  // A save or reset while this read was on its way may have made it stale: kept only when none happened.
  if (generation === chatCopyGeneration) chatCopy = { at, script };
  return script;
}

/**
 * The chat's copy of the script, as the marketer's texts are kept (domain/replies/reply-texts.service.ts): read
 * again once older than `REPLY_TEXTS_TTL_MS`, at once after a save or reset through this process, so an edit made
 * on another instance reaches this one's chats within that time. Frozen: every event shares it.
 */
let chatCopy: { at: number; script: PersonaScript } | null = null;
let chatCopyTtlMs = 0;
let chatCopyGeneration = 0;

/** The next chat read goes to the store (a save or reset here does it; so does a test that empties the store). */
export function forgetPersonaScriptCopy(): void {
  chatCopy = null;
  chatCopyGeneration++;
}

/** How long the chat trusts its copy (server/deps.ts passes `replies.cacheTtlMs`; 0 = read on every event). */
export function setPersonaScriptTtl(ms: number): void {
  chatCopyTtlMs = ms;
  forgetPersonaScriptCopy();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The script with its revision and who saved it (for the console editor). */
export async function getPersonaScriptRecord(): Promise<StoredPersonaScript> {
  const doc = await PersonaScriptDoc.findOne({ key: KEY }).lean();
  if (doc) {
    const parsed = parseCached(doc.script);
    if (parsed.success) {
      return {
        script: structuredClone(parsed.data),
        revision: doc.revision ?? 1,
        isDefault: false,
        updatedAt: doc.updatedAt ?? null,
        updatedBy: doc.updatedBy ?? null,
      };
    }
    log.error({ issues: parsed.error.issues.slice(0, 5) }, 'stored persona script is invalid; using the default');
  }
  return { script: defaultPersonaScript(), revision: 0, isDefault: true, updatedAt: null, updatedBy: null };
}

/**
 * Validates and saves the script (400 with field errors when invalid; nothing stored). With `expectedRevision`,
 * a save over someone else's newer edit fails with `persona_script_conflict`. Members in the middle of the
 * script continue from their current question id (see domain/persona/persona-engine.ts), so edits are safe at any time.
 */
export async function savePersonaScript(
  script: unknown,
  opts: { actor?: string; expectedRevision?: number } = {},
): Promise<StoredPersonaScript> {
  const valid = parseOrThrow(PersonaScriptSchema, script);
  const filter: Record<string, unknown> = { key: KEY };
  if (opts.expectedRevision !== undefined)
    filter.revision = opts.expectedRevision === 0 ? { $exists: false } : opts.expectedRevision;
  try {
    const doc = await PersonaScriptDoc.findOneAndUpdate(
      filter,
      { $set: { script: valid, ...(opts.actor ? { updatedBy: opts.actor } : {}) }, $inc: { revision: 1 } },
      { upsert: opts.expectedRevision === undefined || opts.expectedRevision === 0, returnDocument: 'after' },
    ).lean();
    forgetPersonaScriptCopy();
    if (!doc) throw conflict('persona_script_conflict', '問卷腳本已被其他人修改，請重新整理後再儲存。');
    return {
      script: valid,
      revision: doc.revision,
      isDefault: false,
      updatedAt: doc.updatedAt ?? null,
      updatedBy: doc.updatedBy ?? null,
    };
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw conflict('persona_script_conflict', '問卷腳本已被其他人修改，請重新整理後再儲存。');
    throw err;
  }
}

/** Drops the saved script so the chat runs the built-in default again. */
export async function resetPersonaScript(): Promise<StoredPersonaScript> {
  await PersonaScriptDoc.deleteOne({ key: KEY });
  forgetPersonaScriptCopy();
  return getPersonaScriptRecord();
}
