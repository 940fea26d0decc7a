/**
 * Reply templates: a marketer's text with `{name}`-style placeholders. Pure and small on purpose; the same rules
 * decide what the console may store and what the bot sends.
 *
 * - A placeholder is `{` + a lowercase name (`a-z`, digits, `_`) + `}`; anything else in braces is plain text.
 * - An empty value also drops one separator right after it (a space, `，` or `、`), so `{name} 您好` reads `您好`
 *   for a member without a display name, as the built-in texts do.
 */

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;
const SEPARATOR_AFTER_EMPTY = /^[ ，、]/;

export type TemplateValue = string | number | readonly string[] | null | undefined;
export type TemplateVars = Record<string, TemplateValue>;

/** The placeholder names a template uses, in order of first appearance. */
export function placeholdersOf(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

/** Placeholders the template uses that are not in `allowed`. */
export function unknownPlaceholders(template: string, allowed: readonly string[]): string[] {
  return placeholdersOf(template).filter((n) => !allowed.includes(n));
}

/** How a value reads inside a sentence: numbers with thousands separators, lists joined with 、. */
export function formatTemplateValue(value: TemplateValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toLocaleString('en-US') : '';
  if (Array.isArray(value)) return value.join('、');
  return String(value);
}

/** Fills every placeholder; a name without a value reads as empty (the registry refuses unknown names on save). */
export function fillTemplate(template: string, vars: TemplateVars): string {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const value = formatTemplateValue(vars[m[1]!]);
    out += template.slice(last, m.index) + value;
    last = m.index! + m[0].length;
    if (!value && SEPARATOR_AFTER_EMPTY.test(template.slice(last))) last += 1;
  }
  return out + template.slice(last);
}

/**
 * Fills the placeholders `vars` has a key for and leaves the others as they are: a plain catalogue string whose
 * call site fills its own runtime values (`{next_opening}`, `{media}`) after the context ones.
 */
export function fillKnown(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (m, name: string) => (name in vars ? formatTemplateValue(vars[name]) : m));
}
