import { AsyncLocalStorage } from 'node:async_hooks';
import type { BrandColors } from '../../shared/color';
import { DEFAULT_BRAND } from '../program/program-settings.schema';
import { fillKnown, fillTemplate, placeholdersOf, type TemplateVars } from './reply-template';

/**
 * The registry of customer-facing texts a marketer may edit, and the wrapper that makes a text catalogue read the
 * current wording. A catalogue (the chat's `zhTW`, `programText`, the birthday texts) stays a plain object its
 * call sites use as before (`t.welcome.title`, `programText.tierUp(label, 2)`); `editableTexts` returns the same
 * shape, where each listed leaf answers with the marketer's template when one is stored, else with the built-in
 * text, which stays the default exactly as written.
 *
 * Making one more leaf editable is one line in the catalogue's spec list: a string leaf is its own template; a
 * function leaf names its parameters (`args`), which become the template's placeholders, in order.
 *
 * Which wording is current comes from the `ReplyTextSource` of the instance handling the work (an
 * AsyncLocalStorage scope set by the bot, the API and the job runner), so two app instances in one process keep
 * separate caches like two processes would.
 */

/** How an entry reaches the customer, which decides how it is previewed and validated. */
export type ReplyKind =
  /** A text message. */
  | 'text'
  /** A text message with quick-reply buttons (the data notice with 同意 / 不同意). */
  | 'buttons'
  /** A button or quick-reply label (validated as a label, ≤ 20 characters). */
  | 'label'
  /** The title, body or alt text of a flex card. */
  | 'flex';

/** What a render gets: the sample values and the current wording of other entries (e.g. the notice's buttons). */
export interface RenderContext {
  sample: TemplateVars;
  /** The current text of another entry, filled with the sample values. */
  textOf(key: string): string;
}

/** A LINE message object as the validator and the console preview take it. */
export type PreviewMessage = Record<string, unknown>;

export interface ReplyEntrySpec {
  /** zh-TW, what the console calls it. */
  label: string;
  /** zh-TW group heading in the console. */
  group: string;
  kind?: ReplyKind;
  /** A function leaf's parameters, in order, as placeholder names. */
  args?: readonly string[];
  /** Placeholders filled from the program settings and the deployment (`completion_points`, `card_url`). */
  context?: readonly string[];
  /** The default as a template, where calling the function with placeholders cannot produce it (numbers). */
  template?: string;
  /** A note for the marketer (zh-TW): when it is sent. */
  hint?: string;
  /** Characters the builder keeps (a flex alt text is cut at 400): a longer edit is refused instead of cut. */
  maxLength?: number;
  /** The final LINE message for preview and validation; default: a text message (a label: a quick reply). */
  render?: (text: string, ctx: RenderContext) => PreviewMessage;
}

export interface ReplyEntry {
  key: string;
  label: string;
  group: string;
  kind: ReplyKind;
  hint?: string;
  maxLength?: number;
  /** Placeholders the template may use. */
  vars: string[];
  /** Today's built-in text as a template. */
  defaultTemplate: string;
  render(text: string, ctx: RenderContext): PreviewMessage;
}

/** Where the wrapped catalogues read the current wording. */
export interface ReplyTextSource {
  /** The stored template for a key, or null for the default. */
  template(key: string): string | null;
  /** Values of the context placeholders (program settings, deployment links). */
  contextVars(): TemplateVars;
  /** The brand's colours for the flex cards the bot builds (program settings `brand`). */
  brandColors?(): BrandColors;
}

const scope = new AsyncLocalStorage<ReplyTextSource>();
let ambient: ReplyTextSource | null = null;
const ENTRIES = Symbol('replyEntries');

/** Runs `fn` with `source` as the current wording (the bot per event, the API per request, the runner per job). */
export function withReplyTexts<T>(source: ReplyTextSource, fn: () => T): T {
  return scope.run(source, fn);
}

/** The source used outside any scope (scripts, a single-instance process): the last one created. */
export function setAmbientReplyTexts(source: ReplyTextSource | null): void {
  ambient = source;
}

function current(): ReplyTextSource | null {
  return scope.getStore() ?? ambient;
}

/** The context placeholders' current values (for call sites that pass them to a built-in text). */
export function replyContextVars(): TemplateVars {
  return current()?.contextVars() ?? {};
}

/**
 * The brand's colours as the current source holds them (the settings' defaults outside any scope), so the bot's
 * cards wear the brand without a database read per reply.
 */
export function replyBrandColors(): BrandColors {
  const own = current()?.brandColors?.();
  return own ?? { primary: DEFAULT_BRAND.primaryColor, accent: DEFAULT_BRAND.accentColor };
}

/** The entries an `editableTexts` catalogue registered. */
export function entriesOf(catalogue: object): ReplyEntry[] {
  return (catalogue as { [ENTRIES]?: ReplyEntry[] })[ENTRIES] ?? [];
}

type Leaf = string | ((...args: never[]) => string);

/**
 * The catalogue `texts`, with the leaves listed in `specs` (paths like `welcome.body`) editable under
 * `${namespace}.${path}` (or the bare path without a namespace). Throws at load on a path that is not a text or a
 * function default that cannot be written as a template: a mistake in a spec list fails every test at once.
 */
export function editableTexts<T extends object>(namespace: string, texts: T, specs: Record<string, ReplyEntrySpec>): T {
  const out = copyPlain(texts) as T & { [ENTRIES]: ReplyEntry[] };
  const entries: ReplyEntry[] = [];
  for (const [path, spec] of Object.entries(specs)) {
    const key = namespace ? `${namespace}.${path}` : path;
    const parts = path.split('.');
    const leafName = parts.pop()!;
    const parent = parts.reduce<Record<string, unknown>>((o, p) => o?.[p] as Record<string, unknown>, out);
    const leaf = parent?.[leafName] as Leaf | undefined;
    if (typeof leaf !== 'string' && typeof leaf !== 'function')
      throw new Error(`reply registry: ${key} is not a text or a text function`);
    const entry = buildEntry(key, spec, leaf);
    entries.push(entry);
    if (typeof leaf === 'string') {
      Object.defineProperty(parent, leafName, {
        enumerable: true,
        get: () => {
          const src = current();
          const stored = src?.template(key);
          return stored == null ? leaf : fillKnown(stored, src!.contextVars());
        },
      });
    } else {
      const args = spec.args ?? [];
      parent[leafName] = (...values: unknown[]) => {
        const src = current();
        const stored = src?.template(key);
        if (stored == null) return (leaf as (...a: unknown[]) => string)(...values);
        const vars: TemplateVars = { ...src!.contextVars() };
        args.forEach((name, i) => (vars[name] = values[i] as TemplateVars[string]));
        return fillTemplate(stored, vars);
      };
    }
  }
  Object.defineProperty(out, ENTRIES, { value: entries, enumerable: false });
  return out;
}

function buildEntry(key: string, spec: ReplyEntrySpec, leaf: Leaf): ReplyEntry {
  const vars = [...(spec.args ?? []), ...(spec.context ?? [])];
  let defaultTemplate = spec.template;
  if (defaultTemplate === undefined) {
    if (typeof leaf === 'string') defaultTemplate = leaf;
    else {
      const args = (spec.args ?? []).map((a) => `{${a}}`);
      try {
        defaultTemplate = (leaf as (...a: string[]) => string)(...args);
      } catch {
        defaultTemplate = 'NaN';
      }
      if (/NaN|undefined/.test(defaultTemplate) || args.some((a) => !defaultTemplate!.includes(a)))
        throw new Error(`reply registry: ${key} needs an explicit template (its default does not read its args)`);
    }
  }
  const unknown = placeholdersOf(defaultTemplate).filter((v) => !vars.includes(v));
  if (unknown.length) throw new Error(`reply registry: ${key} default uses undeclared {${unknown.join('}, {')}}`);
  const kind = spec.kind ?? 'text';
  return {
    key,
    label: spec.label,
    group: spec.group,
    kind,
    ...(spec.hint ? { hint: spec.hint } : {}),
    ...(spec.maxLength ? { maxLength: spec.maxLength } : {}),
    vars,
    defaultTemplate,
    render: spec.render ?? (kind === 'label' ? renderLabel : renderText),
  };
}

const renderText = (text: string): PreviewMessage => ({ type: 'text', text });
const renderLabel = (text: string): PreviewMessage => ({
  type: 'text',
  text: '（按鈕預覽）',
  quickReply: {
    items: [{ type: 'action', action: { type: 'postback', label: text, data: 'preview', displayText: text } }],
  },
});

/** Plain objects copied (so wrapping never changes the original), everything else shared. */
function copyPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copyPlain(v);
  return out;
}
