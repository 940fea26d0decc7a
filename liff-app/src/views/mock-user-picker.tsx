import { publicApi } from '../api/client';
import { t } from '../i18n/zh-TW';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { useLoad } from '../ui/use-load';

/** Local mode without ?mockUser: pick one of the emulator's users to open the card as. */
export function MockUserPicker({ onPick }: { onPick: (userId: string) => void }) {
  const users = useLoad(() => publicApi.devUsers());
  return (
    <div class="stack" data-testid="mock-picker">
      <h1>{t.mockPicker.title}</h1>
      <p class="muted">{t.mockPicker.body}</p>
      {users.error ? (
        <ErrorState error={users.error} onRetry={users.reload} />
      ) : !users.data ? (
        <Skeleton lines={3} />
      ) : users.data.users.length === 0 ? (
        <EmptyState icon="users" text={t.mockPicker.empty}>
          <a class="btn" href="/dev/chat">
            {t.mockPicker.openChat}
          </a>
        </EmptyState>
      ) : (
        <ul class="user-list">
          {users.data.users.map((u) => (
            <li key={u.userId}>
              <button class="user-pick" data-testid="mock-user" onClick={() => onPick(u.userId)}>
                {u.pictureUrl ? (
                  <img class="avatar" src={u.pictureUrl} alt="" width={40} height={40} />
                ) : (
                  <span class="avatar avatar-empty" aria-hidden="true">
                    {u.displayName.slice(0, 1)}
                  </span>
                )}
                <span class="grow">
                  <span class="user-name">{u.displayName}</span>
                  <span class="muted small mono">{u.userId}</span>
                </span>
                <span class={u.following ? 'pill ok' : 'pill'}>
                  {u.following ? t.mockPicker.following : t.mockPicker.notFollowing}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {users.data && users.data.users.length > 0 && (
        <p class="center small">
          <a href="/dev/chat">{t.mockPicker.openChat}</a>
        </p>
      )}
    </div>
  );
}
