import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '@kit/http';
import type { Card, CardBrand, LiffConfig } from '../../api/contracts/member';
import { publicApi } from './api/client';
import { t } from './i18n/zh-TW';
import { hrefOf, linkProps, useRoute, type Route } from './router';
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
import { rememberCard } from './offline/device';
import { readLastView, type LastView } from './offline/last-view';
import { BenefitsView } from './views/benefits-view';
import { brandStyle } from './views/brand-parts';
import { OfflineCardView } from './views/offline-card-view';
import { asApiError } from './ui/use-load';
import { CardView } from './views/card-view';
import { CouponDetailView } from './views/coupon-detail-view';
import { CouponsView } from './views/coupons-view';
import { ExchangeView } from './views/exchange-view';
import { setDisplayTimeZone } from './views/format';
import { MockUserPicker } from './views/mock-user-picker';
import { ErasedScreen, LoggedOutScreen, NotFollowingScreen } from './views/gate-screens';
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
  | { phase: 'loggedOut' }
  | { phase: 'offline'; view: LastView }
  | { phase: 'error'; error: ApiError };

/** A sign-in still not done after this long shows the stored code instead of a skeleton (weak signal). */
const SLOW_SIGN_IN_MS = 2500;

/**
 * Config → LIFF (real or mock) → the member's card, then the screens. Each phase has its own designed screen.
 * Without signal (or with one too weak to sign in quickly) the last member code view stored on this phone is shown
 * at once: it needs neither the config nor the LIFF SDK, whose init needs the network.
 */
export function App() {
  const [initial] = useState(() => readLastView(chosenMockUser()));
  const [boot, setBoot] = useState<Boot>(() =>
    initial && navigator.onLine === false ? { phase: 'offline', view: initial } : { phase: 'loading' },
  );
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // Read again on every attempt: a sign-in since the page opened may have replaced (or erased) the view.
    const stored = readLastView(chosenMockUser());
    let settled = false;
    const show = (next: Boot) => {
      settled = true;
      if (next.phase === 'error' && stored && isOffline(next.error)) setBoot({ phase: 'offline', view: stored });
      else setBoot(next);
    };
    const slow = stored
      ? setTimeout(() => {
          if (!settled) setBoot((cur) => (cur.phase === 'loading' ? { phase: 'offline', view: stored } : cur));
        }, SLOW_SIGN_IN_MS)
      : undefined;
    liffModule().catch(() => {}); // warm the SDK chunk while the config request is in flight
    publicApi.config().then(
      (config) => {
        setDisplayTimeZone(config.timeZone);
        if (!config.mock) return signIn(config, () => startLiffSession(config), show);
        const user = chosenMockUser();
        if (!user) return show({ phase: 'pick', config });
        return signIn(config, () => startMockSession(config, user), show);
      },
      (err) => show({ phase: 'error', error: asApiError(err) }),
    );
    return () => clearTimeout(slow);
  }, [attempt]);

  const retry = () => {
    setBoot({ phase: 'loading' });
    setAttempt((n) => n + 1);
  };

  useEffect(() => {
    // Back in signal while the offline card is shown: sign in and show fresh figures.
    if (boot.phase !== 'offline') return;
    addEventListener('online', retry);
    return () => removeEventListener('online', retry);
  }, [boot.phase]);

  switch (boot.phase) {
    case 'loading':
      return (
        <Shell brand={initial?.brand}>
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
    case 'loggedOut':
      return (
        <Shell>
          <LoggedOutScreen onOpenAgain={() => location.assign(hrefOf(''))} />
        </Shell>
      );
    case 'offline':
      return (
        <Shell brand={boot.view.brand}>
          <OfflineCardView view={boot.view} onRetry={retry} />
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
          value={{
            session: boot.session,
            firstCard: boot.card,
            onErased: () => setBoot({ phase: 'erased' }),
            onLoggedOut: () => setBoot({ phase: 'loggedOut' }),
          }}>
          <SignedIn brand={boot.card.brand} />
        </SessionContext.Provider>
      );
  }
}

async function signIn(config: LiffConfig, start: () => Promise<Session>, setBoot: (b: Boot) => void): Promise<void> {
  let session: Session | null = null;
  try {
    session = await start();
    const card = await session.api.card();
    await rememberCard(card, config.timeZone, config.mock ? chosenMockUser() : null);
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

/** No signal (fetch failed) or LIFF could not start (its init needs the network). */
function isOffline(error: ApiError): boolean {
  return error.status === 0 && (error.code === 'network' || error.code === 'liff_init' || !navigator.onLine);
}

function SignedIn({ brand }: { brand: CardBrand }) {
  const route = useRoute();
  return (
    <Shell nav={route} brand={brand}>
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
    case 'benefits':
      return <BenefitsView />;
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

function Shell({ children, nav, brand }: { children: ComponentChildren; nav?: Route; brand?: CardBrand | null }) {
  return (
    <div class={nav ? 'app has-nav' : 'app'} style={brandStyle(brand)}>
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
