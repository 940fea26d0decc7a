/** A typed client for the LINE emulator's control API (local/line-emulator/README.md), used by tests and benches. */
export interface InboxEntry {
  via: 'reply' | 'push' | 'multicast' | 'narrowcast' | 'broadcast';
  message: any;
  at: string;
}
export interface PushLogEntry {
  id: string;
  api: string;
  to: string | string[];
  retryKey?: string;
  status: number;
  messages: any[];
  at: string;
  delivered?: boolean;
}

export class EmulatorClient {
  constructor(readonly baseURL: string) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseURL}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createUser(displayName?: string, userId?: string) {
    return this.call<{ userId: string; displayName: string }>('POST', '/_emulator/users', { displayName, userId });
  }
  follow(userId: string) {
    return this.call<{ webhookEventId: string; webhookStatus: number }>('POST', `/_emulator/users/${userId}/follow`);
  }
  unfollow(userId: string) {
    return this.call<{ webhookEventId: string; webhookStatus: number }>('POST', `/_emulator/users/${userId}/unfollow`);
  }
  text(userId: string, text: string) {
    return this.call<{ webhookEventId: string; webhookStatus: number }>('POST', `/_emulator/users/${userId}/text`, {
      text,
    });
  }
  postback(userId: string, data: string, params?: Record<string, string>) {
    return this.call<{ webhookEventId: string; webhookStatus: number }>('POST', `/_emulator/users/${userId}/postback`, {
      data,
      params,
    });
  }
  sendEvents(events: unknown[], extra: Record<string, unknown> = {}) {
    return this.call<{ webhookEventIds: string[]; webhookStatus: number }>('POST', '/_emulator/events', {
      events,
      ...extra,
    });
  }
  redeliver(webhookEventId: string) {
    return this.call<{ webhookEventId: string; webhookStatus: number }>(
      'POST',
      `/_emulator/events/${webhookEventId}/redeliver`,
    );
  }
  /** Waits (long-poll) until the user has at least `min` messages, or `timeoutMs` passes. */
  messages(userId: string, min = 0, timeoutMs = 5000) {
    return this.call<InboxEntry[]>('GET', `/_emulator/users/${userId}/messages?min=${min}&timeoutMs=${timeoutMs}`);
  }
  clearMessages(userId: string) {
    return this.call('DELETE', `/_emulator/users/${userId}/messages`);
  }
  pushes() {
    return this.call<PushLogEntry[]>('GET', '/_emulator/pushes');
  }
  clearPushes() {
    return this.call('DELETE', '/_emulator/pushes');
  }
  setFaults(faults: {
    rate429?: number;
    rate500?: number;
    latencyMs?: number;
    rateLimit?: { perSecond: number } | null;
    quota429?: boolean;
    richMenuRateLimit?: { perSecond: number } | null;
  }) {
    return this.call('PUT', '/_emulator/faults', faults);
  }
  setQuota(monthlyQuota: number) {
    return this.call('PUT', '/_emulator/quota', { monthlyQuota });
  }
  idToken(userId: string, opts: { channelId?: string; ttlSeconds?: number } = {}) {
    return this.call<{ idToken: string; exp: number }>('POST', `/_emulator/users/${userId}/id-token`, opts);
  }
  richMenus() {
    return this.call('GET', '/_emulator/richmenus');
  }
  /** Calls to the rich-menu link endpoints (per-user and bulk), with the status each got. */
  richMenuCalls(): Promise<Array<{ endpoint: string; users: number; richMenuId: string | null; status: number }>> {
    return this.call('GET', '/_emulator/richmenu-calls');
  }
  userRichMenu(userId: string) {
    return this.call('GET', `/_emulator/users/${userId}/richmenu`);
  }
  reset() {
    return this.call('POST', '/_emulator/reset');
  }
}

/** Texts of the messages in an inbox (flex → altText), for readable assertions. */
export function textsOf(inbox: InboxEntry[]): string[] {
  return inbox.map((e) => (e.message.type === 'text' ? e.message.text : (e.message.altText ?? `[${e.message.type}]`)));
}
