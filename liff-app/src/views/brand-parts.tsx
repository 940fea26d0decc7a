import type { CardBrand } from '../../../api/contracts/member';
import { t } from '../i18n/zh-TW';
import { linkProps } from '../router';

const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * The brand's colours as CSS variables on the app's root (styles.css derives the darker and softer shades from
 * them). Only #RRGGBB gets through: the settings validate it, and a colour can never carry other CSS.
 */
export function brandStyle(brand: CardBrand | null | undefined): Record<string, string> | undefined {
  if (!brand) return undefined;
  const style: Record<string, string> = {};
  if (HEX.test(brand.primaryColor)) style['--brand'] = brand.primaryColor;
  if (HEX.test(brand.accentColor)) style['--brand-accent'] = brand.accentColor;
  return style;
}

/** Logo and name above the card. A logo that fails to load (offline, moved) leaves the name alone. */
export function BrandHeader({ brand }: { brand: CardBrand }) {
  return (
    <header class="brand-bar" data-testid="brand">
      {brand.logoUrl && (
        <img
          class="brand-logo"
          data-testid="brand-logo"
          src={brand.logoUrl}
          alt=""
          width={36}
          height={36}
          onError={(e) => ((e.currentTarget as HTMLImageElement).style.display = 'none')}
        />
      )}
      <span class="brand-name" data-testid="brand-name">
        {brand.name}
      </span>
    </header>
  );
}

/** Under the card: 會員權益, the store list, contact, terms and privacy policy. */
export function BrandFooter({ brand }: { brand: CardBrand }) {
  return (
    <div class="stack">
      <a class="banner" data-testid="benefits-link" {...linkProps('benefits')}>
        <span>{t.benefits.open}</span>
        <strong>›</strong>
      </a>
      {brand.stores.length > 0 && (
        <section class="panel" data-testid="stores">
          <h2>{t.brand.stores}</h2>
          <ul class="store-list">
            {brand.stores.map((s) => (
              <li key={s.id} data-testid="store">
                <div class="title-row">
                  <strong>{s.name}</strong>
                  {s.mapUrl && (
                    <a href={s.mapUrl} target="_blank" rel="noopener noreferrer" class="small">
                      {t.brand.map}
                    </a>
                  )}
                </div>
                {s.address && <p class="small muted">{s.address}</p>}
                {s.hours && <p class="small muted">{s.hours}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <footer class="brand-footer small muted">
        {(brand.phone || brand.lineId) && (
          <p>
            {[brand.phone && t.brand.phone(brand.phone), brand.lineId && t.brand.lineId(brand.lineId)]
              .filter(Boolean)
              .join('・')}
          </p>
        )}
        <p>
          {brand.termsUrl && (
            <a href={brand.termsUrl} target="_blank" rel="noopener noreferrer" data-testid="terms-link">
              {t.brand.terms}
            </a>
          )}
          {brand.termsUrl && brand.privacyUrl && '・'}
          {brand.privacyUrl && (
            <a href={brand.privacyUrl} target="_blank" rel="noopener noreferrer" data-testid="privacy-link">
              {t.brand.privacy}
            </a>
          )}
        </p>
      </footer>
    </div>
  );
}
