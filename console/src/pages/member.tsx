import { useState } from 'preact/hooks';
import type { MemberDetail } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDate, fmtDateTime, fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { CouponsCard } from '../members/coupons-card';
import { CreditCard } from '../members/credit-card';
import { MergeAction } from '../members/merge-dialog';
import { PhoneProposalCard } from '../members/phone-proposal';
import { NotesCard } from '../members/notes-card';
import { PointsCard } from '../members/points-card';
import { PurchasesCard } from '../members/purchases-card';
import { StampsCard } from '../members/stamps-card';
import { TagsCard } from '../members/tags-card';
import { TimelineCard } from '../members/timeline-card';
import { useSession } from '../session';
import { Badge, Card, ErrorBanner, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export default function MemberPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const member = useLoad(() => api.members.detail(id), [id]);
  // Every change made here (tag, note, points, coupon) also lands on the timeline: reload both together.
  const [revision, setRevision] = useState(0);
  const changed = () => {
    member.reload();
    setRevision((r) => r + 1);
  };
  if (member.error)
    return (
      <div>
        <PageHeader title={t.nav.members} back={{ href: '/members', label: t.member.back }} />
        <ErrorBanner error={member.error} onRetry={member.reload} />
      </div>
    );
  if (!member.data) return <Spinner />;
  const m = member.data;
  const title = m.profile.name || m.displayName || m.memberCode;
  return (
    <div class="member-page">
      <PageHeader title={title} back={{ href: '/members', label: t.member.back }}>
        <span class="mono muted">{m.memberCode}</span>
        <Badge tone={m.status === 'active' ? 'green' : m.status === 'blocked' ? 'red' : 'amber'}>
          {t.member.statusLabel[m.status] ?? m.status}
        </Badge>
        <Badge tone="blue">{m.tier.label}</Badge>
        {m.rfm?.segment && <Badge tone="teal">{m.rfm.segment}</Badge>}
        <MergeAction member={m} onChanged={changed} />
      </PageHeader>
      <PhoneProposalCard member={m} onChanged={changed} />
      <div class="grid grid-3">
        <ProfileCard m={m} onChanged={changed} />
        <DynamicCard m={m} />
        <PointsCard member={m} onChanged={changed} />
        <StampsCard memberId={m.id} />
        <CreditCard memberId={m.id} revision={revision} onChanged={changed} />
      </div>
      <div class="grid grid-2">
        <div class="stack">
          <TagsCard memberId={m.id} tags={m.tags} onChanged={changed} />
          <CouponsCard member={m} onChanged={changed} />
          <NotesCard memberId={m.id} notes={m.notes} onChanged={changed} />
          <PurchasesCard memberId={m.id} revision={revision} onChanged={changed} />
        </div>
        <TimelineCard memberId={m.id} revision={revision} />
      </div>
    </div>
  );
}

function Row(props: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="kv">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** Members set their birthday once on the card or in the chat; changing it is done here (audited). */
function BirthdayField(props: { memberId: string; birthday: string | null; onChanged: () => void }) {
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(props.birthday ?? '');
  const save = useAction(async () => {
    await api.members.setBirthday(props.memberId, { birthday: value || null });
    setEditing(false);
    props.onChanged();
  });
  const shown = props.birthday ? props.birthday.replace(/-/g, '/') : '—';
  if (!session.can('members.write')) return <>{shown}</>;
  if (!editing)
    return (
      <>
        {shown}{' '}
        <button
          type="button"
          class="link-btn"
          data-testid="birthday-edit"
          onClick={() => {
            setValue(props.birthday ?? '');
            setEditing(true);
          }}>
          {t.member.birthdayEdit}
        </button>
      </>
    );
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}>
      <input type="date" name="birthday" value={value} onInput={(e) => setValue(valueOf(e))} />
      <button type="submit" class="btn" disabled={save.busy}>
        {t.common.save}
      </button>
      <button type="button" class="link-btn" onClick={() => setEditing(false)}>
        {t.common.cancel}
      </button>
      <small class="muted">{t.member.birthdayHint}</small>
      <ErrorBanner error={save.error} />
    </form>
  );
}

function ProfileCard({ m, onChanged }: { m: MemberDetail; onChanged: () => void }) {
  const prefs = Object.values(m.profile.preferences).filter(Boolean);
  return (
    <Card title={t.member.staticData} testId="member-profile">
      <div class="profile-head">
        <span class="avatar avatar-large">
          {m.pictureUrl ? <img src={m.pictureUrl} alt="" /> : (m.profile.name || m.displayName || '?').slice(0, 1)}
        </span>
        <div>
          <strong>{m.profile.name || m.displayName}</strong>
          {m.profile.name && <small class="muted">LINE：{m.displayName}</small>}
        </div>
      </div>
      <dl class="kvs">
        <Row label={t.member.phone}>
          <span class="mono">{m.profile.phoneMasked ?? '—'}</span>
        </Row>
        <Row label={t.member.email}>{m.profile.email ?? '—'}</Row>
        <Row label={t.member.gender}>{m.profile.gender ? t.member.genders[m.profile.gender] : '—'}</Row>
        <Row label={t.member.birthday}>
          <BirthdayField memberId={m.id} birthday={m.profile.birthday ?? null} onChanged={onChanged} />
        </Row>
        <Row label={t.member.city}>{m.profile.city ?? '—'}</Row>
        <Row label={t.member.preferences}>{prefs.length ? prefs.join('、') : '—'}</Row>
        <Row label={t.member.consent}>
          {t.member.consentStatus[m.consent.status] ?? m.consent.status}
          {m.consent.marketing ? (
            <Badge tone="green">{t.members.consentOptions.marketing}</Badge>
          ) : (
            <Badge>{t.members.noConsent}</Badge>
          )}
          {m.consent.at && <small class="muted"> {fmtDate(m.consent.at)}</small>}
        </Row>
        <Row label={t.member.persona}>
          {m.persona.completedAt ? `${t.member.personaDone}（${fmtDate(m.persona.completedAt)}）` : t.member.personaNot}
        </Row>
        <Row label={t.member.followedAt}>{fmtDate(m.followedAt)}</Row>
      </dl>
    </Card>
  );
}

function DynamicCard({ m }: { m: MemberDetail }) {
  return (
    <Card title={t.member.dynamicData}>
      <dl class="kvs">
        <Row label={t.member.purchases}>{fmtNumber(m.stats.purchaseCount)}</Row>
        <Row label={t.member.totalSpend}>{fmtMoney(m.stats.totalSpend)}</Row>
        <Row label={t.member.averageOrder}>{fmtMoney(m.stats.averageOrder)}</Row>
        <Row label={t.member.lastPurchase}>{fmtDate(m.stats.lastPurchaseAt)}</Row>
        <Row label={t.member.rfm}>
          {m.rfm?.segment ? `${m.rfm.segment}（R${m.rfm.r} F${m.rfm.f} M${m.rfm.m}）` : '—'}
        </Row>
        <Row label={t.member.satisfaction}>
          {m.satisfaction?.lastScore
            ? `${'★'.repeat(m.satisfaction.lastScore)}${m.satisfaction.lastComment ? `「${m.satisfaction.lastComment}」` : ''}`
            : '—'}
        </Row>
        <Row label={t.member.lastInteraction}>{fmtDateTime(m.lastInteractionAt)}</Row>
        <Row label={t.member.tier}>
          {m.tier.label}（{t.member.rollingSpend} {fmtMoney(m.tier.rollingSpend)}）<br />
          <small class="muted">
            {m.tier.next ? t.member.nextTier(m.tier.next.label, fmtMoney(m.tier.next.spendNeeded)) : t.member.topTier}
          </small>
        </Row>
        <Row label={t.member.referral}>
          <span class="mono">{m.referral.code}</span> · {t.member.friendsJoined} {m.referral.friendsJoined} ·{' '}
          {t.member.rewardsEarned} {m.referral.rewardsEarned}
          {m.referral.referredBy && (
            <>
              <br />
              <small class="muted">
                {t.member.referredBy}：{m.referral.referredBy.displayName}
              </small>
            </>
          )}
        </Row>
      </dl>
    </Card>
  );
}
