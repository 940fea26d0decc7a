import { CouponTemplate } from '../../models/coupon-template.model';
import { ReplyTemplate } from '../../models/reply-template.model';
import type { BrandColors } from '../../shared/color';
import { DEFAULT_BRAND } from '../program/program-settings.schema';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { moduleLogger } from '../shared/logger';
import { entriesOf, type ReplyEntry, type ReplyTextSource, withReplyTexts } from './reply-registry';
import type { TemplateVars } from './reply-template';

const log = moduleLogger('reply-texts');

export interface ReplyTextsOptions {
  /** The wrapped catalogues (`editableTexts`) whose entries are editable. */
  catalogues: object[];
  /**
   * How long this instance trusts its copy before reading the store again. An edit made through this instance
   * applies at once (the save invalidates the copy); another instance sees it within `ttlMs`.
   */
  ttlMs: number;
  /** The member card's address (the `{card_url}` placeholder). */
  cardUrl: () => string;
  /** Monotonic milliseconds (tests pass their own). */
  nowMs?: () => number;
}

/**
 * One instance's copy of the marketer's texts and of the program values the texts may quote, read through with a
 * TTL: `ensureFresh()` costs nothing while the copy is younger than `ttlMs`, then one read of the (small, one
 * document per edited key) collection and one of the program settings. Texts are read synchronously from the
 * copy, so a chat reply never waits on the database for its wording, and the bot's round trips per message stay
 * what they were.
 */
export class ReplyTexts implements ReplyTextSource {
  readonly entries: ReadonlyMap<string, ReplyEntry>;
  private overrides = new Map<string, string>();
  private programVars: TemplateVars = {};
  private colors: BrandColors = { primary: DEFAULT_BRAND.primaryColor, accent: DEFAULT_BRAND.accentColor };
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;
  private readonly nowMs: () => number;

  constructor(private readonly opts: ReplyTextsOptions) {
    const entries = new Map<string, ReplyEntry>();
    for (const c of opts.catalogues) for (const e of entriesOf(c)) entries.set(e.key, e);
    this.entries = entries;
    this.nowMs = opts.nowMs ?? (() => performance.now());
  }

  template(key: string): string | null {
    return this.overrides.get(key) ?? null;
  }

  contextVars(): TemplateVars {
    return { card_url: this.opts.cardUrl(), ...this.programVars };
  }

  brandColors(): BrandColors {
    return this.colors;
  }

  /** Reads the store again when the copy is older than the TTL (concurrent callers share one read). */
  async ensureFresh(): Promise<void> {
    if (this.nowMs() - this.loadedAt < this.opts.ttlMs) return;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /** The next `ensureFresh()` reads the store (after a save through this instance, or a settings change). */
  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /** Runs `fn` with this instance's texts current (after refreshing them if stale). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.ensureFresh();
    return withReplyTexts(this, fn);
  }

  /**
   * Callback form of `run` for middleware: `router.use((_req, _res, next) => deps.replies.enter(next))`. Mount it
   * after a body parser (a stream callback does not carry the scope on).
   */
  enter(next: (err?: unknown) => void): void {
    this.ensureFresh().then(
      () => withReplyTexts(this, () => next()),
      (err: unknown) => next(err),
    );
  }

  private async load(): Promise<void> {
    const startedAt = this.nowMs();
    try {
      const [docs, settings] = await Promise.all([
        ReplyTemplate.find({ text: { $ne: null } }, { key: 1, text: 1 }).lean(),
        getProgramSettings(),
      ]);
      const overrides = new Map<string, string>();
      for (const d of docs) if (typeof d.text === 'string' && this.entries.has(d.key)) overrides.set(d.key, d.text);
      this.programVars = await programVarsOf(settings);
      this.colors = { primary: settings.brand.primaryColor, accent: settings.brand.accentColor };
      this.overrides = overrides;
    } catch (err) {
      // A database hiccup keeps the last good copy (or the defaults); the next call after the TTL tries again.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reply texts refresh failed');
    }
    this.loadedAt = startedAt;
  }
}

/** What the texts may quote from the program: the Q&A completion reward and the birthday gift, as members read them. */
export async function programVarsOf(settings: ProgramSettings): Promise<TemplateVars> {
  const gifts: string[] = [];
  if (settings.birthday.enabled) {
    if (settings.birthday.points > 0) gifts.push(`${settings.birthday.points.toLocaleString('en-US')} 點`);
    if (settings.birthday.couponTemplateId) {
      const tpl = await CouponTemplate.findById(settings.birthday.couponTemplateId, { title: 1 }).lean();
      if (tpl?.title) gifts.push(`「${tpl.title}」優惠券`);
    }
  }
  return {
    completion_points: settings.personaCompletionPoints,
    birthday_gift: gifts.join(' 和 '),
  };
}
