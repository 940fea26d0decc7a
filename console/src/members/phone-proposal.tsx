import { useState } from 'preact/hooks';
import type { MemberDetail, PhoneProposalView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, Link } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { MergeDialog } from './merge-dialog';

const tp = t.phoneProposal;

/**
 * 「可能是同一人」 on a LINE member's page (#16.6): the phone they gave is on an imported record. Nothing is merged
 * until staff choose 合併 (the existing merge dialog, opened at that record) or 不是同一人.
 */
export function PhoneProposalCard(props: { member: MemberDetail; onChanged: () => void }) {
  const session = useSession();
  // The record being merged: kept here, not read off the proposal, because a merge resolves the proposal and the
  // member reload that follows would otherwise unmount the dialog before it shows its result. For the same reason the
  // dialog is rendered at one place in the tree whether or not the card is still shown: moving it (into the card, or
  // out of it once the proposal is settled) remounts it, which loses the result and previews the merged record again.
  const [mergeSource, setMergeSource] = useState<string | null>(null);
  const p = props.member.phoneProposal;
  const dismiss = useAction(async () => {
    if (!confirm(tp.dismissConfirm)) return;
    await api.members.dismissPhoneProposal(props.member.id);
    props.onChanged();
  });
  const dialog = mergeSource ? (
    <MergeDialog
      targetId={props.member.id}
      sourceId={mergeSource}
      onClose={() => setMergeSource(null)}
      onChanged={props.onChanged}
    />
  ) : null;
  const open = p?.status === 'proposed' ? p : null;
  return (
    <>
      {open && (
        <Card title={tp.title} testId="phone-proposal">
          <p>{tp.body(open.phoneMasked)}</p>
          <p class="muted small">{tp.pending}</p>
          <ErrorBanner error={dismiss.error} />
          {session.can('members.write') && (
            <div class="form-actions">
              <button
                type="button"
                class="btn btn-primary"
                data-testid="proposal-merge"
                onClick={() => setMergeSource(open.importedId)}>
                {tp.merge}
              </button>
              <button
                type="button"
                class="btn"
                data-testid="proposal-dismiss"
                disabled={dismiss.busy}
                onClick={() => void dismiss.run()}>
                {tp.dismiss}
              </button>
            </div>
          )}
        </Card>
      )}
      {dialog}
    </>
  );
}

/** The open proposals above the member list, each linking to the LINE member's page; hidden when there are none. */
export function PhoneProposalList() {
  const list = useLoad(() => api.members.phoneProposals(), []);
  if (!list.data?.total) return null;
  return (
    <Card title={`${tp.title}（${list.data.total}）`} testId="phone-proposals">
      <p class="muted small">{tp.listIntro}</p>
      <table class="table">
        <tbody>
          {list.data.items.map((p: PhoneProposalView) => (
            <tr key={p.memberId}>
              <td>
                <Link href={`/members/${p.memberId}`}>{p.displayName || p.memberCode}</Link>
              </td>
              <td class="mono">{p.phoneMasked}</td>
              <td>{p.imported ? tp.importedAs(p.imported.name ?? '', p.imported.memberCode) : '—'}</td>
              <td class="muted">{fmtDateTime(p.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
