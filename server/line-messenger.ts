import { HTTPFetchError, insight as insight_, messagingApi } from '@line/bot-sdk';
import {
  type LineMessage,
  type LineProfile,
  type LineVerdict,
  type Messenger,
  MessengerError,
  parseLineRejection,
  type SendKind,
  type SendResult,
  type UnitStatistics,
} from '../domain/messaging/messenger';
import type { RichMenuApi } from '../domain/richmenus/richmenu-api';

/** The Messenger over the real `@line/bot-sdk`; `baseURL` points it at the emulator in local mode and tests. */
export function createLineMessenger(opts: { channelAccessToken: string; baseURL?: string }): Messenger {
  const clientOpts = {
    channelAccessToken: opts.channelAccessToken,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
  };
  const client = new messagingApi.MessagingApiClient(clientOpts);
  const blob = new messagingApi.MessagingApiBlobClient(clientOpts);

  const insight = new insight_.InsightClient({
    channelAccessToken: opts.channelAccessToken,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
  });
  const units = (u?: string[]) => (u?.length ? { customAggregationUnits: u } : {});

  async function send(call: () => Promise<unknown>): Promise<SendResult> {
    try {
      await call();
      return { alreadyAccepted: false };
    } catch (err) {
      if (err instanceof HTTPFetchError && err.status === 409) {
        return { alreadyAccepted: true, requestId: err.headers.get('x-line-accepted-request-id') ?? undefined };
      }
      throw toMessengerError(err);
    }
  }

  const validators: Record<SendKind, (messages: LineMessage[]) => Promise<unknown>> = {
    reply: (messages) => client.validateReply({ messages }),
    push: (messages) => client.validatePush({ messages }),
    multicast: (messages) => client.validateMulticast({ messages }),
    narrowcast: (messages) => client.validateNarrowcast({ messages }),
    broadcast: (messages) => client.validateBroadcast({ messages }),
  };

  return {
    richMenus: createRichMenuApi(client, blob),
    async validate(kind, messages): Promise<LineVerdict> {
      try {
        await validators[kind](messages);
        return { ok: true };
      } catch (err) {
        if (err instanceof HTTPFetchError && err.status === 400) return { ok: false, ...parseLineRejection(err.body) };
        throw toMessengerError(err);
      }
    },
    async reply(replyToken, messages) {
      await send(() => client.replyMessage({ replyToken, messages }));
    },
    push(to, messages, o) {
      return send(() => client.pushMessage({ to, messages, ...units(o?.customAggregationUnits) }, o?.retryKey));
    },
    multicast(to, messages, o) {
      return send(() => client.multicast({ to, messages, ...units(o?.customAggregationUnits) }, o?.retryKey));
    },
    async getUnitStatistics(unit, from, to): Promise<UnitStatistics> {
      try {
        const r = await insight.getStatisticsPerUnit(unit, from, to);
        return {
          uniqueImpression: r.overview?.uniqueImpression ?? null,
          uniqueClick: r.overview?.uniqueClick ?? null,
          clicks: (r.clicks ?? []).map((c) => ({
            url: c.url ?? '',
            click: c.click ?? null,
            uniqueClick: c.uniqueClick ?? null,
          })),
        };
      } catch (err) {
        throw toMessengerError(err);
      }
    },
    async getProfile(userId): Promise<LineProfile | null> {
      try {
        const p = await client.getProfile(userId);
        return { userId: p.userId, displayName: p.displayName, pictureUrl: p.pictureUrl, language: p.language };
      } catch (err) {
        if (err instanceof HTTPFetchError && err.status === 404) return null;
        throw toMessengerError(err);
      }
    },
    async showLoading(chatId, seconds) {
      try {
        await client.showLoadingAnimation({ chatId, loadingSeconds: seconds });
      } catch (err) {
        throw toMessengerError(err);
      }
    },
    async markAsRead(markAsReadToken) {
      try {
        await client.markMessagesAsReadByToken({ markAsReadToken });
      } catch (err) {
        throw toMessengerError(err);
      }
    },
    async getQuota() {
      try {
        const [quota, usage] = await Promise.all([client.getMessageQuota(), client.getMessageQuotaConsumption()]);
        return { limit: quota.type === 'limited' ? (quota.value ?? 0) : null, used: usage.totalUsage ?? 0 };
      } catch (err) {
        throw toMessengerError(err);
      }
    },
  };
}

/** The rich-menu endpoints; every failure becomes a MessengerError (429/5xx retryable). */
function createRichMenuApi(
  client: messagingApi.MessagingApiClient,
  blob: messagingApi.MessagingApiBlobClient,
): RichMenuApi {
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toMessengerError(err);
    }
  };
  return {
    async validate(menu): Promise<LineVerdict> {
      try {
        await client.validateRichMenuObject(menu);
        return { ok: true };
      } catch (err) {
        if (err instanceof HTTPFetchError && err.status === 400) return { ok: false, ...parseLineRejection(err.body) };
        throw toMessengerError(err);
      }
    },
    create: (menu) => call(async () => (await client.createRichMenu(menu)).richMenuId),
    uploadImage: (id, image, contentType) =>
      call(async () => {
        await blob.setRichMenuImage(id, new Blob([new Uint8Array(image)], { type: contentType }));
      }),
    delete: (id) =>
      call(async () => {
        await client.deleteRichMenu(id);
      }),
    setAlias: (aliasId, richMenuId) =>
      call(async () => {
        try {
          await client.updateRichMenuAlias(aliasId, { richMenuId });
        } catch (err) {
          if (!(err instanceof HTTPFetchError && err.status === 404)) throw err;
          await client.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId });
        }
      }),
    linkUser: (userId, richMenuId) =>
      call(async () => {
        await client.linkRichMenuIdToUser(userId, richMenuId);
      }),
    unlinkUser: (userId) =>
      call(async () => {
        await client.unlinkRichMenuIdFromUser(userId);
      }),
    linkUsers: (userIds, richMenuId) =>
      call(async () => {
        await client.linkRichMenuIdToUsers({ userIds, richMenuId });
      }),
    unlinkUsers: (userIds) =>
      call(async () => {
        await client.unlinkRichMenuIdFromUsers({ userIds });
      }),
  };
}

function toMessengerError(err: unknown): MessengerError {
  if (err instanceof HTTPFetchError) {
    const quota = err.status === 429 && /monthly limit/i.test(err.body);
    return new MessengerError(
      `LINE API ${err.status}: ${err.body.slice(0, 200)}`,
      err.status,
      err.body,
      err.status === 429 || err.status >= 500,
      quota,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new MessengerError(`LINE API unreachable: ${message}`, 0, '', true);
}

export type { LineMessage };
