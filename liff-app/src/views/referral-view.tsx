import type { Liff } from '@line/liff';
import { useState } from 'preact/hooks';
import type { ReferralView as Referral } from '../../../api/contracts/member';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { toast } from '../ui/dialog';
import { ErrorState, InlineError, Skeleton } from '../ui/states';
import { asApiError, useLoad } from '../ui/use-load';
import { formatPoints } from './format';

/** Own code and sharing (LINE's share target picker, else the system share sheet, else copy), stats, enter a code. */
export function ReferralView() {
  const { session } = useSession();
  const ref = useLoad(() => session.api.referral());
  if (ref.error) return <ErrorState error={ref.error} onRetry={ref.reload} />;
  if (!ref.data) return <Skeleton card lines={3} />;
  const r = ref.data;
  return (
    <div class="stack" data-testid="referral">
      <h1>{t.referral.title}</h1>
      <section class="panel center">
        <p class="muted">{t.referral.intro}</p>
        <div class="code-label">{t.referral.yourCode}</div>
        <div class="referral-code" data-testid="referral-code">
          {r.code}
        </div>
        <div class="actions center">
          <button class="btn btn-secondary" onClick={() => copyText(r.code)}>
            {t.copy}
          </button>
          <button class="btn" data-testid="share" onClick={() => share(session.liff, r)}>
            {t.referral.share}
          </button>
        </div>
      </section>
      <section class="stats">
        <div class="stat">
          <strong data-testid="friends-joined">{r.friendsJoined}</strong>
          <span>{t.referral.friendsJoined}</span>
        </div>
        <div class="stat">
          <strong data-testid="rewards-earned">{r.rewardsEarned}</strong>
          <span>{t.referral.rewardsEarned}</span>
        </div>
        <div class="stat">
          <strong data-testid="points-earned">{formatPoints(r.pointsEarned)}</strong>
          <span>{t.referral.pointsEarned}</span>
        </div>
      </section>
      {r.referredBy && <p class="muted center">{t.referral.referredBy(r.referredBy)}</p>}
      {r.canEnterCode && <EnterCode onApplied={ref.setData} />}
    </div>
  );
}

function EnterCode({ onApplied }: { onApplied: (r: Referral) => void }) {
  const { session } = useSession();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onApplied(await session.api.applyReferral({ code }));
      toast(t.referral.applied);
    } catch (err) {
      const apiErr = asApiError(err);
      setError(apiErr.fields.code ?? apiErr.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel" onSubmit={submit} data-testid="enter-code">
      <label class="field">
        <span>{t.referral.enterTitle}</span>
        <input
          value={code}
          onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          placeholder={t.referral.enterPlaceholder}
          autocapitalize="characters"
          maxLength={32}
        />
      </label>
      <InlineError message={error} />
      <button class="btn btn-block" disabled={busy || !code.trim()}>
        {t.referral.enterAction}
      </button>
    </form>
  );
}

async function share(liff: Liff, r: Referral): Promise<void> {
  const text = `${r.shareText}\n${r.link}`;
  try {
    if (liff.isApiAvailable('shareTargetPicker')) {
      const res = await liff.shareTargetPicker([{ type: 'text', text }]);
      if (res) toast(t.referral.shareDone);
      return;
    }
  } catch {
    // fall through to the browser's own ways of sharing
  }
  if (navigator.share) {
    try {
      await navigator.share({ text: r.shareText, url: r.link });
      return;
    } catch {
      // cancelled or refused: copying still helps
    }
  }
  await copyText(text, t.referral.shareFallback);
}

async function copyText(text: string, done: string = t.copied): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  toast(done);
}
