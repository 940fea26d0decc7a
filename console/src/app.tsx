import { lazy, Suspense } from 'preact/compat';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Permission, SessionResponse } from '../../api/contracts/console';
import { ApiError } from '@kit/http';
import { api, setCsrfToken, setUnauthorizedHandler } from './api/client';
import { setDisplayTimeZone } from './format';
import { t } from './i18n';
import { jt } from './journeys/journey-texts';
import { at } from './pages/affinity-texts';
import { onInboxEvent } from './inbox-live';
import { LoginPage } from './pages/login';
import { match, navigate, useRoute } from './router';
import { SessionContext, type SessionState } from './session';
import { Link, Spinner } from './ui/components';

const DashboardPage = lazy(() => import('./pages/dashboard'));
const MembersPage = lazy(() => import('./pages/members'));
const MemberPage = lazy(() => import('./pages/member'));
const ImportPage = lazy(() => import('./pages/import'));
const SegmentsPage = lazy(() => import('./pages/segments'));
const SegmentEditPage = lazy(() => import('./pages/segment-edit'));
const CampaignsPage = lazy(() => import('./pages/campaigns'));
const CampaignEditPage = lazy(() => import('./pages/campaign-edit'));
const CampaignPage = lazy(() => import('./pages/campaign'));
const JourneysPage = lazy(() => import('./pages/journeys'));
const JourneyEditPage = lazy(() => import('./pages/journey-edit'));
const CouponsPage = lazy(() => import('./pages/coupons'));
const StampsPage = lazy(() => import('./pages/stamps'));
const CounterPage = lazy(() => import('./pages/counter'));
const ApprovalsPage = lazy(() => import('./pages/approvals'));
const InboxPage = lazy(() => import('./pages/inbox'));
const SettingsPage = lazy(() => import('./pages/settings'));
const RichMenusPage = lazy(() => import('./pages/richmenus'));
const PersonaPage = lazy(() => import('./pages/persona'));
const RepliesPage = lazy(() => import('./pages/replies'));
const UsersPage = lazy(() => import('./pages/users'));
const ApiKeysPage = lazy(() => import('./pages/api-keys'));
const AuditPage = lazy(() => import('./pages/audit'));
const AccountPage = lazy(() => import('./pages/account'));
const FaqPage = lazy(() => import('./pages/faq'));
const ReplyRulesPage = lazy(() => import('./pages/reply-rules'));
const UnansweredPage = lazy(() => import('./pages/unanswered'));
const AffinityPage = lazy(() => import('./pages/affinity'));

type Page = (props: { params: Record<string, string> }) => preact.JSX.Element | null;
interface RouteDef {
  pattern: string;
  page: Page;
  permission?: Permission;
}

const ROUTES: RouteDef[] = [
  { pattern: '/', page: DashboardPage as Page, permission: 'reports' },
  { pattern: '/affinity', page: AffinityPage as Page, permission: 'reports' },
  { pattern: '/members', page: MembersPage as Page, permission: 'members.read' },
  { pattern: '/members/:id', page: MemberPage as Page, permission: 'members.read' },
  { pattern: '/import', page: ImportPage as Page, permission: 'members.import' },
  { pattern: '/segments', page: SegmentsPage as Page, permission: 'segments' },
  { pattern: '/segments/new', page: SegmentEditPage as Page, permission: 'segments' },
  { pattern: '/segments/:id', page: SegmentEditPage as Page, permission: 'segments' },
  { pattern: '/campaigns', page: CampaignsPage as Page, permission: 'campaigns' },
  { pattern: '/campaigns/new', page: CampaignEditPage as Page, permission: 'campaigns' },
  { pattern: '/campaigns/:id/edit', page: CampaignEditPage as Page, permission: 'campaigns' },
  { pattern: '/campaigns/:id', page: CampaignPage as Page, permission: 'campaigns' },
  { pattern: '/journeys', page: JourneysPage as Page, permission: 'campaigns' },
  { pattern: '/journeys/new', page: JourneyEditPage as Page, permission: 'campaigns' },
  { pattern: '/journeys/:id', page: JourneyEditPage as Page, permission: 'campaigns' },
  { pattern: '/coupons', page: CouponsPage as Page, permission: 'coupons.manage' },
  { pattern: '/stamps', page: StampsPage as Page, permission: 'stamps.manage' },
  { pattern: '/counter', page: CounterPage as Page, permission: 'counter' },
  { pattern: '/approvals', page: ApprovalsPage as Page, permission: 'points.approve' },
  { pattern: '/inbox', page: InboxPage as Page, permission: 'inbox' },
  { pattern: '/settings', page: SettingsPage as Page, permission: 'settings' },
  { pattern: '/richmenus', page: RichMenusPage as Page, permission: 'campaigns' },
  { pattern: '/persona', page: PersonaPage as Page, permission: 'settings' },
  { pattern: '/replies', page: RepliesPage as Page, permission: 'replies' },
  { pattern: '/users', page: UsersPage as Page, permission: 'users' },
  { pattern: '/api-keys', page: ApiKeysPage as Page, permission: 'api-keys' },
  { pattern: '/audit', page: AuditPage as Page, permission: 'audit.read' },
  { pattern: '/faq', page: FaqPage as Page, permission: 'replies' },
  { pattern: '/reply-rules', page: ReplyRulesPage as Page, permission: 'replies' },
  { pattern: '/unanswered', page: UnansweredPage as Page, permission: 'replies' },
  { pattern: '/account', page: AccountPage as Page },
];

const NAV: Array<{ href: string; label: string; permission?: Permission; icon: string }> = [
  { href: '/', label: t.nav.dashboard, permission: 'reports', icon: '◎' },
  { href: '/affinity', label: at.nav, permission: 'reports', icon: '⋈' },
  { href: '/members', label: t.nav.members, permission: 'members.read', icon: '☺' },
  { href: '/import', label: t.nav.import, permission: 'members.import', icon: '⇪' },
  { href: '/segments', label: t.nav.segments, permission: 'segments', icon: '◔' },
  { href: '/campaigns', label: t.nav.campaigns, permission: 'campaigns', icon: '✉' },
  { href: '/journeys', label: jt.nav, permission: 'campaigns', icon: '⇢' },
  { href: '/coupons', label: t.nav.coupons, permission: 'coupons.manage', icon: '✂' },
  { href: '/stamps', label: t.nav.stamps, permission: 'stamps.manage', icon: '◉' },
  { href: '/richmenus', label: t.nav.richmenus, permission: 'campaigns', icon: '▦' },
  { href: '/counter', label: t.nav.counter, permission: 'counter', icon: '▣' },
  { href: '/inbox', label: t.nav.inbox, permission: 'inbox', icon: '✆' },
  { href: '/settings', label: t.nav.settings, permission: 'settings', icon: '⚙' },
  { href: '/persona', label: t.nav.persona, permission: 'settings', icon: '✎' },
  { href: '/replies', label: t.nav.replies, permission: 'replies', icon: '✉' },
  { href: '/faq', label: t.nav.faq, permission: 'replies', icon: '?' },
  { href: '/reply-rules', label: t.nav.replyRules, permission: 'replies', icon: '↩' },
  { href: '/unanswered', label: t.nav.unanswered, permission: 'replies', icon: '…' },
  { href: '/users', label: t.nav.users, permission: 'users', icon: '◑' },
  { href: '/api-keys', label: t.nav.apiKeys, permission: 'api-keys', icon: '⚷' },
  { href: '/audit', label: t.nav.audit, permission: 'audit.read', icon: '☰' },
  { href: '/approvals', label: t.nav.approvals, permission: 'points.approve', icon: '✓' },
];

export function App() {
  const [session, setSession] = useState<SessionResponse | null>(null);
  const [checked, setChecked] = useState(false);
  const [expired, setExpired] = useState(false);

  const adopt = useCallback((s: SessionResponse | null) => {
    setCsrfToken(s?.csrfToken ?? '');
    if (s) setDisplayTimeZone(s.timeZone);
    setSession(s);
  }, []);

  const refresh = useCallback(async () => {
    adopt(
      await api.auth.session().catch((e) => (e instanceof ApiError && e.status === 401 ? null : Promise.reject(e))),
    );
  }, [adopt]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setExpired(true);
      adopt(null);
    });
    refresh()
      .catch(() => adopt(null))
      .finally(() => setChecked(true));
  }, [refresh, adopt]);

  if (!checked) return <Spinner label={t.app.loading} />;
  if (!session)
    return (
      <LoginPage
        expired={expired}
        onLogin={(s) => {
          setExpired(false);
          adopt(s);
        }}
      />
    );

  const state: SessionState = {
    ...session,
    can: (p) => session.permissions.includes(p),
    logout: async () => {
      await api.auth.logout().catch(() => undefined);
      adopt(null);
      navigate('/', { replace: true });
    },
    refresh,
  };
  return (
    <SessionContext.Provider value={state}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <SessionContext.Consumer>
      {(s) => {
        const session = s!;
        const home = session.can('reports') ? '/' : '/counter';
        const path = route.path === '/' && !session.can('reports') ? '/counter' : route.path;
        const found = ROUTES.map((r) => ({ r, params: match(r.pattern, path) })).find((x) => x.params);
        const allowed = !found?.r.permission || session.can(found.r.permission);
        const Page = found?.r.page;
        return (
          <div class={`shell ${menuOpen ? 'menu-open' : ''}`}>
            <aside class="sidebar">
              <Link href={home} class="brand">
                {session.brand?.logoUrl ? (
                  <img class="brand-mark" src={session.brand.logoUrl} alt="" width={36} height={36} />
                ) : (
                  <span
                    class="brand-mark"
                    style={session.brand ? { background: session.brand.primaryColor } : undefined}>
                    {t.app.mark}
                  </span>
                )}
                <span>
                  <strong>{session.brand?.name || t.app.name}</strong>
                  <small>{t.app.subtitle}</small>
                </span>
              </Link>
              <nav onClick={() => setMenuOpen(false)}>
                {NAV.filter((n) => !n.permission || session.can(n.permission)).map((n) => (
                  <Link key={n.href} href={n.href} class={isActive(n.href, path) ? 'nav-item active' : 'nav-item'}>
                    <span class="nav-icon" aria-hidden="true">
                      {n.icon}
                    </span>
                    {n.label}
                    {n.href === '/inbox' && <InboxBadge />}
                  </Link>
                ))}
              </nav>
              <div class="sidebar-foot">
                {session.mode === 'local' && <span class="badge badge-amber">{t.app.localMode}</span>}
                <Link href="/account" class="whoami">
                  <strong>{session.user.displayName}</strong>
                  <small>
                    {t.roles[session.user.role]} · {session.user.username}
                  </small>
                </Link>
                <button type="button" class="btn btn-small btn-ghost" onClick={() => void session.logout()}>
                  {t.nav.logout}
                </button>
              </div>
            </aside>
            <button type="button" class="menu-toggle" aria-label={t.nav.menu} onClick={() => setMenuOpen(!menuOpen)}>
              ☰
            </button>
            <main class="content">
              {!found || !Page ? (
                <p class="empty">{t.errors.notFound}</p>
              ) : !allowed ? (
                <p class="empty">{t.errors.forbidden}</p>
              ) : (
                <Suspense fallback={<Spinner />}>
                  <Page params={found.params!} />
                </Suspense>
              )}
            </main>
          </div>
        );
      }}
    </SessionContext.Consumer>
  );
}

/** Conversations waiting for an answer, live from the inbox stream. */
function InboxBadge() {
  const [waiting, setWaiting] = useState<number | null>(null);
  useEffect(() => {
    void api.inbox.counts().then(
      (c) => setWaiting(c.waiting),
      () => undefined,
    );
    return onInboxEvent((e) => setWaiting(e.counts.waiting));
  }, []);
  return waiting ? (
    <span class="nav-badge" data-testid="inbox-badge" aria-label={`${t.inbox.waiting} ${waiting}`}>
      {waiting}
    </span>
  ) : null;
}

function isActive(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}
