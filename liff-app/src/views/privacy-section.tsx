import { useState } from 'preact/hooks';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { Dialog } from '../ui/dialog';
import { InlineError } from '../ui/states';
import { asApiError } from '../ui/use-load';
import { forgetDevice } from '../offline/device';

/**
 * My data (a readable page with its JSON, opened through a short-lived link: LINE's in-app browser on iOS may not
 * save a blob download) and delete my data (explained, confirmed).
 */
export function PrivacySection() {
  const { session, onErased, onLoggedOut } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<'export' | 'erase' | 'logout' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dataUrl, setDataUrl] = useState<string | null>(null);

  const download = async () => {
    setBusy('export');
    setError(null);
    try {
      const link = await session.api.exportLink();
      const url = new URL(link.url, location.origin).href;
      setDataUrl(url);
      if (session.liff.isInClient()) await session.liff.openWindow({ url, external: false });
    } catch (err) {
      setError(asApiError(err).message);
    } finally {
      setBusy(null);
    }
  };

  const erase = async () => {
    setBusy('erase');
    setError(null);
    try {
      await session.api.erase();
      // A shared phone keeps nothing of the member: the offline card, the LIFF SDK's login, every cache.
      await forgetDevice();
      onErased();
    } catch (err) {
      setError(asApiError(err).message);
      setBusy(null);
    }
  };

  const logout = async () => {
    setBusy('logout');
    if (session.liff.isLoggedIn()) session.liff.logout();
    await forgetDevice();
    onLoggedOut();
  };

  return (
    <section class="panel privacy" data-testid="privacy">
      <h2>{t.profile.privacyTitle}</h2>
      <div class="privacy-item">
        <p class="muted small">{t.profile.exportHint}</p>
        <button
          class="btn btn-secondary btn-block"
          data-testid="export-data"
          disabled={busy !== null}
          onClick={download}>
          {busy === 'export' ? t.loading : t.profile.exportAction}
        </button>
        {dataUrl && (
          <p class="small" data-testid="export-ready">
            {t.profile.exportReady}{' '}
            <a href={dataUrl} target="_blank" rel="noopener" data-testid="export-open">
              {t.profile.exportOpen}
            </a>
          </p>
        )}
      </div>
      <div class="privacy-item">
        <p class="muted small">{t.profile.logoutHint}</p>
        <button class="btn btn-secondary btn-block" data-testid="logout" disabled={busy !== null} onClick={logout}>
          {t.profile.logoutAction}
        </button>
      </div>
      <div class="privacy-item">
        <p class="muted small">{t.profile.deleteHint}</p>
        <button
          class="btn btn-danger-outline btn-block"
          data-testid="delete-data"
          disabled={busy !== null}
          onClick={() => {
            setError(null);
            setConfirming(true);
          }}>
          {t.profile.deleteAction}
        </button>
      </div>
      {!confirming && <InlineError message={error} />}
      {confirming && (
        <Dialog
          title={t.profile.deleteConfirmTitle}
          onClose={() => busy === null && setConfirming(false)}
          testId="delete-confirm">
          <p>{t.profile.deleteConfirmBody}</p>
          <p class="muted small" data-testid="delete-rejoin-note">
            {t.profile.deleteConfirmRejoin}
          </p>
          <InlineError message={error} />
          <div class="actions">
            <button class="btn btn-secondary" disabled={busy !== null} onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
            <button class="btn btn-danger" data-testid="delete-confirm-button" disabled={busy !== null} onClick={erase}>
              {busy === 'erase' ? t.profile.deleting : t.profile.deleteConfirmAction}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
