import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '@kit/http';
import type { Card, LiffConfig } from '../../api/contracts/member';
import { publicApi } from './api/client';
import { t } from './i18n/zh-TW';
import { linkProps, useRoute, type Route } from './router';
import {
  chosenMockUser,
  liffModule,
  Redirecting,
  rememberMockUser,
  startLiffSession,
  startMockSession,
  type Session,
} from './session/liff-session';
import { SessionContext } from './session/session-context';
import { ToastHost } from './ui/dialog';
import { ErrorBoundary, ErrorState, Skeleton } from './ui/states';
import { asApiError } from './ui/use-load';
import { CardView } from './views/card-view';
import { CouponDetailView } from './views/coupon-detail-view';
import { CouponsView } from './views/coupons-view';
import { ExchangeView } from './views/exchange-view';
import { setDisplayTimeZone } from './views/format';
import { MockUserPicker } from './views/mock-user-picker';
import { ErasedScreen, NotFollowingScreen } from './views/gate-screens';
import { PointsView } from './views/points-view';
import { ProfileView } from './views/profile-view';
import { ReferralView } from './views/referral-view';
import { Icon, type IconName } from './ui/icons';

type Boot =
  | { phase: 'loading' }
  | { phase: 'pick'; config: LiffConfig }
  | { phase: 'ready'; session: Session; card: Card }
  | { phase: 'notFollowing'; addFriendUrl: string; session: Session | null }
  | { phase: 'erased' }
  | { phase: 'error'; error: ApiError };

/** Config → LIFF (real or mock) → the member's card, then the screens. Each phase has its own designed screen. */
export function App() {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    void liffModule(); // warm the SDK chunk while the config request is in flight
    publicApi.config().then(
      (config) => {
        setDisplayTimeZone(config.timeZone);
        if (!config.mock) return signIn(config, () => startLiffSession(config), setBoot);
        const user = chosenMockUser();
        if (!user) return setBoot({ phase: 'pick', config });
        return signIn(config, () => startMockSession(config, user), setBoot);
      },
      (err) => setBoot({ phase: 'error', error: asApiError(err) }),
    );
  }, [attempt]);

  const retry = () => {
    setBoot({ phase: 'loading' });
    setAttempt((n) => n + 1);
  };

  switch (boot.phase) {
    case 'loading':
      return (
        <Shell>
          <Skeleton card lines={3} />
        </Shell>
      );
    case 'pick':
      return (
        <Shell>
          <MockUserPicker
            onPick={(userId) => {
              rememberMockUser(userId);
              setBoot({ phase: 'loading' });
              void signIn(boot.config, () => startMockSession(boot.config, userId), setBoot);
            }}
          />
        </Shell>
      );
    case 'notFollowing':
      return (
        <Shell>
          <NotFollowingScreen addFriendUrl={boot.addFriendUrl} onRetry={retry} />
        </Shell>
      );
    case 'erased':
      return (
        <Shell>
          <ErasedScreen />
        </Shell>
      );
    case 'error':
      return (
        <Shell>
          <ErrorState error={boot.error} onRetry={retry} />
        </Shell>
      );
    case 'ready':
      return (
        <SessionContext.Provider
          value={{ session: boot.session, firstCard: boot.card, onErased: () => setBoot({ phase: 'erased' }) }}>
          <SignedIn />
        </SessionContext.Provider>
      );
  }
}

async function signIn(config: LiffConfig, start: () => Promise<Session>, setBoot: (b: Boot) => void): Promise<void> {
  let session: Session | null = null;
  try {
    session = await start();
    const card = await session.api.card();
    setBoot({ phase: 'ready', session, card });
  } catch (err) {
    if (err instanceof Redirecting) return; // LINE Login is taking over the page
    const e = asApiError(err);
    if (e.code === 'not_following')
      setBoot({ phase: 'notFollowing', addFriendUrl: e.addFriendUrl ?? config.addFriendUrl, session });
    else if (e.status === 0 && e.code === 'client')
      setBoot({ phase: 'error', error: new ApiError('liff_init', 0, t.errors.liffInit) });
    else setBoot({ phase: 'error', error: e });
  }
}

function SignedIn() {
  const route = useRoute();
  return (
    <Shell nav={route}>
      <ErrorBoundary resetKey={location.pathname}>
        <Screen route={route} />
      </ErrorBoundary>
    </Shell>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'card':
      return <CardView />;
    case 'coupons':
      return <CouponsView />;
    case 'coupon':
      return <CouponDetailView id={route.id} />;
    case 'exchange':
      return <ExchangeView />;
    case 'points':
      return <PointsView />;
    case 'referral':
      return <ReferralView />;
    case 'profile':
      return <ProfileView />;
    default:
      return <ErrorState error={new ApiError('not_found', 404, t.errors.notFound)} />;
  }
}

const TABS: Array<{ path: string; label: string; icon: IconName; match: Route['name'][] }> = [
  { path: '', label: t.nav.card, icon: 'card', match: ['card'] },
  { path: 'coupons', label: t.nav.coupons, icon: 'ticket', match: ['coupons', 'coupon', 'exchange'] },
  { path: 'points', label: t.nav.points, icon: 'star', match: ['points'] },
  { path: 'referral', label: t.nav.referral, icon: 'users', match: ['referral'] },
  { path: 'profile', label: t.nav.profile, icon: 'user', match: ['profile'] },
];

function Shell({ children, nav }: { children: ComponentChildren; nav?: Route }) {
  return (
    <div class={nav ? 'app has-nav' : 'app'}>
      <main class="main">{children}</main>
      {nav && (
        <nav class="tabbar" aria-label={t.appTitle}>
          {TABS.map((tab) => (
            <a
              key={tab.path}
              class={tab.match.includes(nav.name) ? 'tab active' : 'tab'}
              aria-current={tab.match.includes(nav.name) ? 'page' : undefined}
              {...linkProps(tab.path)}>
              <Icon name={tab.icon} class="tab-icon" />
              <span>{tab.label}</span>
            </a>
          ))}
        </nav>
      )}
      <ToastHost />
    </div>
  );
}
