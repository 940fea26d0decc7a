import { t } from '../i18n/zh-TW';
import { Icon } from '../ui/icons';

/** Shown to someone who has not followed the account (or blocked it): the way in, not an error. */
export function NotFollowingScreen({ addFriendUrl, onRetry }: { addFriendUrl: string; onRetry: () => void }) {
  return (
    <div class="gate" data-testid="not-following">
      <div class="gate-icon">
        <Icon name="chat" size={52} />
      </div>
      <h1>{t.notFollowing.title}</h1>
      <p>{t.notFollowing.body}</p>
      <a class="btn btn-line btn-block" href={addFriendUrl} target="_top">
        {t.notFollowing.action}
      </a>
      <button class="btn btn-secondary btn-block" onClick={onRetry}>
        {t.notFollowing.again}
      </button>
    </div>
  );
}

export function ErasedScreen() {
  return (
    <div class="gate" data-testid="erased">
      <div class="gate-icon">
        <Icon name="check" size={52} />
      </div>
      <h1>{t.erased.title}</h1>
      <p>{t.erased.body}</p>
    </div>
  );
}

/** After 登出: this phone keeps nothing of the member; opening the card again (a fresh page: the SDK starts anew) signs in. */
export function LoggedOutScreen({ onOpenAgain }: { onOpenAgain: () => void }) {
  return (
    <div class="gate" data-testid="logged-out">
      <div class="gate-icon">
        <Icon name="check" size={52} />
      </div>
      <h1>{t.loggedOut.title}</h1>
      <p>{t.loggedOut.body}</p>
      <button class="btn btn-secondary btn-block" onClick={onOpenAgain}>
        {t.loggedOut.again}
      </button>
    </div>
  );
}
