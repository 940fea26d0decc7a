import type {
  AffinityItemQuery,
  AffinityItemResponse,
  AffinityListResponse,
} from '../../../api/contracts/console-affinity';
import type { StampCardView, StampTemplateInput, StampTemplateView } from '../../../api/contracts/console-stamps';
import type {
  CannedReplyRequest,
  InboxCloseRequest,
  CannedReplyView,
  ConversationRow,
  ConversationView,
  InboxAgent,
  InboxCounts,
  InboxList,
  InboxListQuery,
  InboxQuota,
} from '../../../api/contracts/inbox';
import type {
  ReplyHistoryResponse,
  ReplyListResponse,
  ReplyPreviewResponse,
  ReplyResponse,
} from '../../../api/contracts/console-replies';
import type {
  AddTestRecipientRequest,
  ConsoleUserRow,
  LineLinkCodeResponse,
  TestRecipientWire,
  TestSendResponse,
  AddNoteRequest,
  AddTagsRequest,
  BirthdayUpdateRequest,
  BirthdayUpdateResponse,
  AdjustPointsRequest,
  AuditPage,
  AuditQuery,
  AudienceCount,
  CampaignEstimate,
  CampaignListQuery,
  CampaignPage,
  CampaignRequest,
  CampaignPreview,
  CampaignStats,
  CampaignView,
  ChangePasswordRequest,
  ConsoleUserView,
  CounterLookup,
  CounterMember,
  CounterPointsRequest,
  CounterPurchaseRequest,
  MemberPurchasePage,
  PurchaseRefundResult,
  RefundPurchaseRequest,
  CouponTemplateRequest,
  CouponTemplateView,
  CouponView,
  CreateApiKeyRequest,
  CreateUserRequest,
  CreatedApiKey,
  DashboardQuery,
  DashboardResponse,
  ExportFields,
  ImportJobView,
  ImportMappingRequest,
  ImportPreviewRow,
  IntegrationKeyView,
  IssueCouponRequest,
  IssueResult,
  LoginRequest,
  MemberDetail,
  MemberNoteView,
  MemberPage,
  MemberSearchParams,
  MergeMemberSummary,
  MergePreview,
  MergeRequest,
  MergeResult,
  PhoneProposalList,
  Ok,
  PersonaScriptResponse,
  PointsAdjustResult,
  PointsHistoryPage,
  ProgramSettingsPatch,
  ProgramSettingsResponse,
  TierJourneyGiftsResponse,
  PurchaseResult,
  RedeemRequest,
  ResetPasswordRequest,
  ResumeCampaignRequest,
  ReverseRedemptionRequest,
  RfmOverview,
  RfmRunSummary,
  RfmSettings,
  RuleMeta,
  SavePersonaScriptRequest,
  SegmentGroup,
  SegmentRequest,
  SegmentView,
  SessionResponse,
  StoredPersonaScript,
  TagCount,
  TestRecipients,
  TestSendRequest,
  TimelinePage,
  TimelineQuery,
  UpdateMeRequest,
  UpdateUserRequest,
  RichMenuRequest,
  RichMenuWire,
  CounterRedeemResult,
  CounterToday,
  PointsApprovalView,
  CreditHistoryPage,
} from '../../../api/contracts/console';
import type {
  FaqEntryView,
  FaqListResponse,
  FaqRequest,
  RuleListResponse,
  RuleRequest,
  RuleView,
  UnansweredResponse,
} from '../../../api/contracts/conversation';
import type {
  JourneyDeleteResponse,
  JourneyListResponse,
  JourneyRequest,
  JourneyResponse,
  JourneyStatsResponse,
  JourneyStepPreviewResponse,
  JourneyTemplatesResponse,
  JourneyTestRunResponse,
  WouldEnterResponse,
} from '../../../api/contracts/journeys';
import { ApiError, queryString, requestJson, type QueryValues } from '@kit/http';
import { t } from '../i18n';

/**
 * The typed console API: one function per route of /api/console, request and response types from
 * api/contracts/console. Every state-changing request carries the session's CSRF token; a 401 (the session is gone)
 * tells the app, which shows the sign-in page.
 */

const BASE = '/api/console';
let csrfToken = '';
let onUnauthorized: () => void = () => undefined;

/** The session's CSRF token, sent on every state-changing request (synchronizer token). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

interface Call {
  body?: unknown;
  query?: QueryValues;
  raw?: { body: BodyInit; contentType: string };
}

async function request<T>(method: string, path: string, call: Call = {}): Promise<T> {
  const headers: Record<string, string> = method === 'GET' ? {} : { 'x-csrf-token': csrfToken };
  try {
    return await requestJson<T>(
      BASE + path + queryString(call.query),
      { method, headers, body: call.body, raw: call.raw, credentials: 'same-origin' },
      t.errors,
    );
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && !path.startsWith('/auth/login')) onUnauthorized();
    throw err;
  }
}

const get = <T>(path: string, query?: QueryValues) => request<T>('GET', path, { query });
/** A POST always sends a JSON body (`{}` when there is nothing to say). */
const post = <T>(path: string, body: unknown = {}, query?: QueryValues) => request<T>('POST', path, { body, query });
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const del = <T>(path: string) => request<T>('DELETE', path);
const id = encodeURIComponent;

export const api = {
  auth: {
    session: () => get<SessionResponse>('/auth/session'),
    login: (req: LoginRequest) => post<SessionResponse>('/auth/login', req),
    logout: () => post<Ok>('/auth/logout'),
    changePassword: (req: ChangePasswordRequest) => post<Ok>('/auth/password', req),
    updateMe: (req: UpdateMeRequest) => patch<{ user: ConsoleUserView }>('/auth/me', req),
    createLineLink: () => post<LineLinkCodeResponse>('/auth/line-link'),
    removeLineLink: () => del<Ok>('/auth/line-link'),
  },
  users: {
    list: () => get<{ users: ConsoleUserRow[] }>('/users'),
    unlock: (userId: string) => post<Ok & { pairsCleared: number }>(`/users/${id(userId)}/unlock`),
    create: (req: CreateUserRequest) => post<{ user: ConsoleUserView; generatedPassword?: string }>('/users', req),
    update: (userId: string, req: UpdateUserRequest) => patch<{ user: ConsoleUserView }>(`/users/${id(userId)}`, req),
    resetPassword: (userId: string, req: ResetPasswordRequest = {}) =>
      post<{ generatedPassword?: string }>(`/users/${id(userId)}/reset-password`, req),
  },
  approvals: {
    list: (status: 'pending' | 'approved' | 'rejected' = 'pending') =>
      get<{ approvals: PointsApprovalView[] }>('/approvals', { status }),
    approve: (approvalId: string) =>
      post<{ approval: PointsApprovalView; balance: number }>(`/approvals/${id(approvalId)}/approve`),
    reject: (approvalId: string, note?: string) =>
      post<{ approval: PointsApprovalView }>(`/approvals/${id(approvalId)}/reject`, note ? { note } : {}),
  },
  audit: {
    list: (q: AuditQuery = {}) => get<AuditPage>('/audit', q),
  },
  members: {
    search: (q: MemberSearchParams) => get<MemberPage>('/members', q),
    tags: () => get<{ tags: TagCount[] }>('/members/tags'),
    exportFields: () => get<ExportFields>('/members/export-fields'),
    /** A URL for the CSV download (a plain GET the browser makes with the cookie). */
    exportUrl: (q: MemberSearchParams) => `${BASE}/members/export.csv${queryString(q)}`,
    detail: (memberId: string) => get<MemberDetail>(`/members/${id(memberId)}`),
    timeline: (memberId: string, q: TimelineQuery = {}) => get<TimelinePage>(`/members/${id(memberId)}/timeline`, q),
    points: (memberId: string, page: number) => get<PointsHistoryPage>(`/members/${id(memberId)}/points`, { page }),
    adjustPoints: (memberId: string, req: AdjustPointsRequest) =>
      post<PointsAdjustResult>(`/members/${id(memberId)}/points`, req),
    credit: (memberId: string, page: number) => get<CreditHistoryPage>(`/members/${id(memberId)}/credit`, { page }),
    purchases: (memberId: string, page: number) =>
      get<MemberPurchasePage>(`/members/${id(memberId)}/purchases`, { page }),
    adjustCredit: (memberId: string, req: { delta: number; reason: string; key: string; expiresOn?: string }) =>
      post<PointsAdjustResult>(`/members/${id(memberId)}/credit`, req),
    addTags: (memberId: string, req: AddTagsRequest) => post<{ added: string[] }>(`/members/${id(memberId)}/tags`, req),
    removeTag: (memberId: string, tag: string) => del<{ removed: boolean }>(`/members/${id(memberId)}/tags/${id(tag)}`),
    setBirthday: (memberId: string, req: BirthdayUpdateRequest) =>
      put<BirthdayUpdateResponse>(`/members/${id(memberId)}/birthday`, req),
    notes: (memberId: string) => get<{ notes: MemberNoteView[] }>(`/members/${id(memberId)}/notes`),
    addNote: (memberId: string, req: AddNoteRequest) =>
      post<{ note: MemberNoteView }>(`/members/${id(memberId)}/notes`, req),
    deleteNote: (memberId: string, noteId: string) => del<Ok>(`/members/${id(memberId)}/notes/${id(noteId)}`),
    mergeCandidates: (memberId: string, q: string) =>
      get<{ items: MergeMemberSummary[] }>(`/members/${id(memberId)}/merge-candidates`, { q }),
    mergePreview: (memberId: string, sourceId: string) =>
      get<MergePreview>(`/members/${id(memberId)}/merge-preview`, { sourceId }),
    merge: (memberId: string, req: MergeRequest) => post<MergeResult>(`/members/${id(memberId)}/merge`, req),
    phoneProposals: () => get<PhoneProposalList>('/phone-proposals'),
    dismissPhoneProposal: (memberId: string) => post<Ok>(`/phone-proposals/${id(memberId)}/dismiss`, {}),
  },
  imports: {
    list: () => get<{ jobs: ImportJobView[] }>('/imports'),
    /** The file's bytes as they are; the server detects the encoding. */
    upload: (file: Blob, contentType: string, fileName: string) =>
      request<{ job: ImportJobView }>('POST', '/imports', { query: { fileName }, raw: { body: file, contentType } }),
    get: (jobId: string) => get<{ job: ImportJobView }>(`/imports/${id(jobId)}`),
    setMapping: (jobId: string, req: ImportMappingRequest) =>
      put<{ job: ImportJobView; preview: ImportPreviewRow[] }>(`/imports/${id(jobId)}/mapping`, req),
    run: (jobId: string) => post<{ job: ImportJobView }>(`/imports/${id(jobId)}/run`),
    errorsUrl: (jobId: string) => `${BASE}/imports/${id(jobId)}/errors.csv`,
  },
  dashboard: {
    get: (q: DashboardQuery = {}) => get<DashboardResponse>('/dashboard', q),
    affinity: () => get<AffinityListResponse>('/dashboard/affinity'),
    affinityItem: (q: AffinityItemQuery) => get<AffinityItemResponse>('/dashboard/affinity/item', q),
  },
  counter: {
    lookup: (code: string) => get<CounterLookup>('/counter/lookup', { code }),
    member: (memberId: string) => get<{ member: CounterMember }>(`/counter/members/${id(memberId)}`),
    redeem: (req: RedeemRequest) => post<CounterRedeemResult>('/counter/redeem', req),
    undo: (couponId: string) => post<{ coupon: CouponView }>(`/counter/redemptions/${id(couponId)}/undo`),
    today: (storeId?: string) => get<CounterToday>('/counter/today', { storeId }),
    voidPurchase: (purchaseId: string, reason: string) =>
      post<{ purchase: { purchaseId: string; replayed: boolean } }>(`/purchases/${id(purchaseId)}/void`, { reason }),
    reverse: (req: ReverseRedemptionRequest) => post<{ coupon: CouponView }>('/counter/reverse', req),
    purchase: (req: CounterPurchaseRequest) => post<PurchaseResult>('/counter/purchases', req),
    adjustPoints: (req: CounterPointsRequest) => post<PointsAdjustResult>('/counter/points', req),
    adjustCredit: (req: { memberId: string; delta: number; reason: string; key: string; expiresOn?: string }) =>
      post<PointsAdjustResult>('/counter/credit', req),
  },
  purchases: {
    refund: (purchaseId: string, req: RefundPurchaseRequest) =>
      post<PurchaseRefundResult>(`/purchases/${id(purchaseId)}/refund`, req),
  },
  segments: {
    list: (opts: { recount?: boolean } = {}) =>
      get<{ segments: SegmentView[] }>('/segments', { recount: opts.recount ? '1' : undefined }),
    meta: () => get<RuleMeta>('/segments/meta'),
    count: (rule: SegmentGroup) => post<AudienceCount>('/segments/count', { rule }),
    rfm: () => get<{ overview: RfmOverview; settings: RfmSettings }>('/segments/rfm'),
    scoreRfm: () => post<{ summary: RfmRunSummary; overview: RfmOverview }>('/segments/rfm/score'),
    updateRfmSettings: (req: Partial<RfmSettings>) => put<{ settings: RfmSettings }>('/segments/rfm/settings', req),
    create: (req: SegmentRequest) => post<{ segment: SegmentView }>('/segments', req),
    get: (segmentId: string) => get<{ segment: SegmentView }>(`/segments/${id(segmentId)}`),
    update: (segmentId: string, req: Partial<SegmentRequest>) =>
      put<{ segment: SegmentView }>(`/segments/${id(segmentId)}`, req),
    archive: (segmentId: string) => del<Ok>(`/segments/${id(segmentId)}`),
  },
  campaigns: {
    list: (q: CampaignListQuery = {}) => get<CampaignPage>('/campaigns', q),
    estimate: (req: CampaignRequest) => post<CampaignEstimate>('/campaigns/estimate', req),
    testRecipients: () => get<TestRecipients>('/campaigns/test-recipients'),
    create: (req: CampaignRequest) => post<{ campaign: CampaignView }>('/campaigns', req),
    get: (campaignId: string) => get<{ campaign: CampaignView }>(`/campaigns/${id(campaignId)}`),
    stats: (campaignId: string) => get<{ stats: CampaignStats }>(`/campaigns/${id(campaignId)}/stats`),
    /** The final messages a recipient of the variant gets (links as they read). */
    preview: (campaignId: string, variant?: string) =>
      get<CampaignPreview>(`/campaigns/${id(campaignId)}/preview`, { variant }),
    /** The same for a campaign being composed (nothing saved). */
    previewDraft: (req: CampaignRequest, variant?: string) =>
      post<CampaignPreview>(`/campaigns/preview${variant ? `?variant=${variant}` : ''}`, req),
    update: (campaignId: string, req: CampaignRequest) =>
      put<{ campaign: CampaignView }>(`/campaigns/${id(campaignId)}`, req),
    schedule: (campaignId: string) => post<{ campaign: CampaignView }>(`/campaigns/${id(campaignId)}/schedule`),
    cancel: (campaignId: string) => post<{ campaign: CampaignView }>(`/campaigns/${id(campaignId)}/cancel`),
    resume: (campaignId: string, req: ResumeCampaignRequest = {}) =>
      post<{ campaign: CampaignView }>(`/campaigns/${id(campaignId)}/resume`, req),
    testSend: (campaignId: string, req: TestSendRequest = {}) =>
      post<TestSendResponse>(`/campaigns/${id(campaignId)}/test-send`, req),
  },
  stamps: {
    templates: () => get<{ templates: StampTemplateView[] }>('/stamps/templates'),
    createTemplate: (req: StampTemplateInput) => post<{ template: StampTemplateView }>('/stamps/templates', req),
    updateTemplate: (templateId: string, req: StampTemplateInput) =>
      put<{ template: StampTemplateView }>(`/stamps/templates/${id(templateId)}`, req),
    memberCards: (memberId: string) => get<{ cards: StampCardView[] }>(`/stamps/members/${id(memberId)}`),
    manual: (req: { memberId: string; templateId: string; reason: string }) =>
      post<{ stamps: number; cards: StampCardView[] }>('/stamps/manual', req),
  },
  coupons: {
    templates: (status?: 'active' | 'archived' | 'all') =>
      get<{ templates: CouponTemplateView[] }>('/coupons/templates', { status }),
    createTemplate: (req: CouponTemplateRequest) => post<{ template: CouponTemplateView }>('/coupons/templates', req),
    template: (templateId: string) => get<{ template: CouponTemplateView }>(`/coupons/templates/${id(templateId)}`),
    updateTemplate: (templateId: string, req: Partial<CouponTemplateRequest>) =>
      put<{ template: CouponTemplateView }>(`/coupons/templates/${id(templateId)}`, req),
    archiveTemplate: (templateId: string) =>
      del<{ template: CouponTemplateView }>(`/coupons/templates/${id(templateId)}`),
    issue: (templateId: string, req: IssueCouponRequest) =>
      post<IssueResult>(`/coupons/templates/${id(templateId)}/issue`, req),
  },
  /** #13.2, #13.6: the chat's FAQ, keyword auto-replies and unanswered phrases. */
  faq: {
    list: () => get<FaqListResponse>('/faq'),
    create: (req: FaqRequest) => post<{ entry: FaqEntryView }>('/faq', req),
    update: (entryId: string, req: FaqRequest) => put<{ entry: FaqEntryView }>(`/faq/${id(entryId)}`, req),
    remove: (entryId: string) => del<Ok>(`/faq/${id(entryId)}`),
    unanswered: () => get<UnansweredResponse>('/faq/unanswered'),
    fromUnanswered: (req: { phrase: string; text: string; answer: string }) =>
      post<{ entry: FaqEntryView }>('/faq/unanswered/to-faq', req),
  },
  replyRules: {
    list: () => get<RuleListResponse>('/replies/rules'),
    create: (req: RuleRequest) => post<{ rule: RuleView }>('/replies/rules', req),
    update: (ruleId: string, req: RuleRequest) => put<{ rule: RuleView }>(`/replies/rules/${id(ruleId)}`, req),
    remove: (ruleId: string) => del<Ok>(`/replies/rules/${id(ruleId)}`),
  },
  richmenus: {
    list: () => get<{ menus: RichMenuWire[] }>('/richmenus'),
    create: (req: RichMenuRequest) => post<{ menu: RichMenuWire }>('/richmenus', req),
    update: (menuId: string, req: RichMenuRequest) => put<{ menu: RichMenuWire }>(`/richmenus/${id(menuId)}`, req),
    remove: (menuId: string) => del<Ok>(`/richmenus/${id(menuId)}`),
    uploadImage: (menuId: string, file: File) =>
      request<{ menu: RichMenuWire }>('PUT', `/richmenus/${id(menuId)}/image`, {
        raw: { body: file, contentType: file.type || 'application/octet-stream' },
      }),
    imageUrl: (menuId: string, version: string) =>
      `${BASE}/richmenus/${id(menuId)}/image?v=${encodeURIComponent(version)}`,
    validate: (menuId: string) => post<{ ok: true }>(`/richmenus/${id(menuId)}/validate`),
    publish: (menuId: string) =>
      post<{ menu: RichMenuWire; changed: boolean; relinked: number }>(`/richmenus/${id(menuId)}/publish`),
  },
  journeys: {
    list: () => get<JourneyListResponse>('/journeys'),
    templates: () => get<JourneyTemplatesResponse>('/journeys/templates'),
    create: (req: JourneyRequest, template?: string) =>
      post<JourneyResponse>('/journeys', req, { template: template || undefined }),
    get: (journeyId: string) => get<JourneyResponse>(`/journeys/${id(journeyId)}`),
    update: (journeyId: string, req: JourneyRequest) => put<JourneyResponse>(`/journeys/${id(journeyId)}`, req),
    stats: (journeyId: string) => get<JourneyStatsResponse>(`/journeys/${id(journeyId)}/stats`),
    pause: (journeyId: string) => post<JourneyResponse>(`/journeys/${id(journeyId)}/pause`),
    resume: (journeyId: string) => post<JourneyResponse>(`/journeys/${id(journeyId)}/resume`),
    wouldEnter: (trigger: JourneyRequest['trigger']) => post<WouldEnterResponse>('/journeys/would-enter', { trigger }),
    /** A message step being composed, as the customer will read it (host lines, short-link placeholders). */
    previewStep: (step: { messages: unknown[]; linkTracking?: 'link' | 'member' }) =>
      post<JourneyStepPreviewResponse>('/journeys/preview-step', step),
    testRun: (journeyId: string, lineUserId: string) =>
      post<JourneyTestRunResponse>(`/journeys/${id(journeyId)}/test`, { lineUserId }),
    /** `exitMembers`: the marketer chose to end the runs of members still in it. */
    remove: (journeyId: string, exitMembers = false) =>
      request<JourneyDeleteResponse>('DELETE', `/journeys/${id(journeyId)}`, {
        query: { members: exitMembers ? 'exit' : undefined },
      }),
  },
  settings: {
    uploadLogo: (file: File) =>
      request<ProgramSettingsResponse>('PUT', '/settings/brand/logo', {
        raw: { body: file, contentType: file.type || 'application/octet-stream' },
      }),
    program: () => get<ProgramSettingsResponse>('/settings/program'),
    tierJourneyGifts: () => get<TierJourneyGiftsResponse>('/settings/tier-journey-gifts'),
    saveProgram: (req: ProgramSettingsPatch) => put<ProgramSettingsResponse>('/settings/program', req),
    personaScript: () => get<PersonaScriptResponse>('/settings/persona-script'),
    savePersonaScript: (req: SavePersonaScriptRequest) => put<StoredPersonaScript>('/settings/persona-script', req),
    resetPersonaScript: () => post<StoredPersonaScript>('/settings/persona-script/reset'),
    testRecipients: () => get<{ recipients: TestRecipientWire[] }>('/settings/test-recipients'),
    addTestRecipient: (req: AddTestRecipientRequest) =>
      post<{ recipient: TestRecipientWire }>('/settings/test-recipients', req),
    removeTestRecipient: (recipientId: string) => del<Ok>(`/settings/test-recipients/${id(recipientId)}`),
  },
  inbox: {
    list: (q: InboxListQuery = {}) => get<InboxList>('/inbox', q as QueryValues),
    counts: () => get<InboxCounts>('/inbox/counts'),
    quota: () => get<InboxQuota>('/inbox/quota'),
    agents: () => get<{ items: InboxAgent[] }>('/inbox/agents'),
    get: (conversationId: string) => get<ConversationView>(`/inbox/${id(conversationId)}`),
    read: (conversationId: string) => post<ConversationRow>(`/inbox/${id(conversationId)}/read`),
    reply: (conversationId: string, text: string, clientKey: string) =>
      post<{ conversation: ConversationRow; sent: boolean }>(`/inbox/${id(conversationId)}/replies`, {
        text,
        clientKey,
      }),
    assign: (conversationId: string, assigneeId: string | null) =>
      post<ConversationRow>(`/inbox/${id(conversationId)}/assign`, { assigneeId }),
    /** `notify: false` is 「結束但不通知客人」. */
    close: (conversationId: string, notify = true) =>
      post<ConversationRow>(`/inbox/${id(conversationId)}/close`, { notify } satisfies InboxCloseRequest),
    canned: () => get<{ items: CannedReplyView[] }>('/inbox/canned'),
    createCanned: (req: CannedReplyRequest) => post<CannedReplyView>('/inbox/canned', req),
    deleteCanned: (cannedId: string) => del<Ok>(`/inbox/canned/${id(cannedId)}`),
    /** The live stream's address (EventSource sends the session cookie; same origin). */
    streamUrl: () => `${BASE}/inbox/stream`,
  },
  replies: {
    list: () => get<ReplyListResponse>('/replies'),
    get: (key: string) => get<ReplyResponse>(`/replies/${id(key)}`),
    history: (key: string) => get<ReplyHistoryResponse>(`/replies/${id(key)}/history`),
    save: (key: string, req: { text: string; version: number }) => put<ReplyResponse>(`/replies/${id(key)}`, req),
    preview: (key: string, text: string) => post<ReplyPreviewResponse>(`/replies/${id(key)}/preview`, { text }),
    restore: (key: string, req: { version: number; toVersion?: number }) =>
      post<ReplyResponse>(`/replies/${id(key)}/restore`, req),
  },
  apiKeys: {
    list: () => get<{ keys: IntegrationKeyView[] }>('/api-keys'),
    create: (req: CreateApiKeyRequest) => post<CreatedApiKey>('/api-keys', req),
    revoke: (keyId: string) => del<Ok>(`/api-keys/${id(keyId)}`),
  },
};

export type ConsoleApi = typeof api;

/** A random idempotency key for one user action (a double click or a retry then does it once). */
export function actionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
