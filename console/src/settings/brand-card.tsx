import { useState } from 'preact/hooks';
import type { BrandSettings, BrandStore, ProgramSettings } from '../../../api/contracts/console';
import { api } from '../api/client';
import { t } from '../i18n';
import { Card, ErrorBanner, Field, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

/**
 * 品牌設定 (admin): name, logo, colours, contact, terms and privacy links, and the store list. Saved with the
 * program settings form; the logo uploads on its own (raw bytes, checked by the server) and comes back as a URL.
 */
export function BrandCard(props: {
  s: ProgramSettings;
  setS: (next: ProgramSettings) => void;
  e: Record<string, string>;
}) {
  const { s, setS, e } = props;
  const b = s.brand;
  const tb = t.brand;
  const set = (patch: Partial<BrandSettings>) => setS({ ...s, brand: { ...b, ...patch } });
  const setStore = (i: number, patch: Partial<BrandStore>) =>
    set({ stores: b.stores.map((st, j) => (j === i ? { ...st, ...patch } : st)) });
  const [logoError, setLogoError] = useState<string | null>(null);
  const upload = useAction(async (file: File) => {
    setLogoError(null);
    const res = await api.settings.uploadLogo(file);
    set({ logoUrl: res.settings.brand.logoUrl });
  });
  const text = (key: keyof BrandSettings, label: string, type = 'text') => (
    <Field label={label} error={e[`brand.${key}`]}>
      <input
        type={type}
        value={String(b[key])}
        onInput={(ev) => set({ [key]: valueOf(ev) } as Partial<BrandSettings>)}
      />
    </Field>
  );
  return (
    <Card title={tb.title} testId="brand-card">
      {text('name', tb.name)}
      <Field label={tb.logo} error={logoError ?? e['brand.logoUrl']} hint={tb.logoHint}>
        <div class="brand-logo-row">
          {b.logoUrl && <img src={b.logoUrl} alt={b.name} class="brand-logo-preview" width={64} height={64} />}
          <input
            type="file"
            accept="image/png,image/jpeg"
            onChange={(ev) => {
              const file = ev.currentTarget.files?.[0];
              if (file) void upload.run(file);
            }}
          />
        </div>
      </Field>
      <ErrorBanner error={upload.error} />
      <div class="grid grid-2">
        <Field label={tb.primaryColor} error={e['brand.primaryColor']}>
          <input
            type="color"
            value={b.primaryColor}
            onInput={(ev) => set({ primaryColor: valueOf(ev).toUpperCase() })}
          />
        </Field>
        <Field label={tb.accentColor} error={e['brand.accentColor']}>
          <input type="color" value={b.accentColor} onInput={(ev) => set({ accentColor: valueOf(ev).toUpperCase() })} />
        </Field>
      </div>
      {text('phone', tb.phone, 'tel')}
      {text('lineId', tb.lineId)}
      {text('termsUrl', tb.termsUrl, 'url')}
      {text('privacyUrl', tb.privacyUrl, 'url')}
      <h3>{tb.stores}</h3>
      {b.stores.map((st, i) => (
        <fieldset key={i} class="brand-store">
          <Field label={tb.storeId} error={e[`brand.stores.${i}.id`]}>
            <input value={st.id} onInput={(ev) => setStore(i, { id: valueOf(ev) })} />
          </Field>
          <Field label={tb.storeName} error={e[`brand.stores.${i}.name`]}>
            <input value={st.name} onInput={(ev) => setStore(i, { name: valueOf(ev) })} />
          </Field>
          <Field label={tb.storeAddress} error={e[`brand.stores.${i}.address`]}>
            <input value={st.address} onInput={(ev) => setStore(i, { address: valueOf(ev) })} />
          </Field>
          <Field label={tb.storeHours} error={e[`brand.stores.${i}.hours`]}>
            <input value={st.hours} onInput={(ev) => setStore(i, { hours: valueOf(ev) })} />
          </Field>
          <Field label={tb.storeMap} error={e[`brand.stores.${i}.mapUrl`]}>
            <input type="url" value={st.mapUrl} onInput={(ev) => setStore(i, { mapUrl: valueOf(ev) })} />
          </Field>
          <button
            type="button"
            class="btn btn-ghost"
            onClick={() => set({ stores: b.stores.filter((_, j) => j !== i) })}>
            {tb.removeStore}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        class="btn"
        onClick={() =>
          set({
            stores: [...b.stores, { id: `store-${b.stores.length + 1}`, name: '', address: '', hours: '', mapUrl: '' }],
          })
        }>
        {tb.addStore}
      </button>
    </Card>
  );
}
