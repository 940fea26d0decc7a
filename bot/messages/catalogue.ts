/**
 * Every sentence the chat says to customers, in one place (zh-TW, Taiwan wording). Builders of LINE message
 * objects (bot/messages/*.ts) and the persona chat (bot/persona/) read from here, so wording is reviewed and
 * changed in one file.
 */

import { programText } from '../../domain/program/program-messages';
import { editableTexts, type ReplyEntrySpec } from '../../domain/replies/reply-registry';
import { formatMoney as money, formatNumber as n } from '../../shared/format';
import {
  couponValidUntilText,
  DATE_EXAMPLE,
  tierMultiplierText,
  tierNextText,
  tierReachedText,
} from '../../shared/vocabulary';
import type { StampCardView } from '../../domain/stamps/stamp-view.service';
import { linkBubbleMessage } from './link-bubble';
import { stampCardsMessage } from './stamp-flex';

/** Bumped whenever the consent notice below changes materially; stored with each member's decision. */
export const CONSENT_NOTICE_VERSION = '2025-01';

const builtIn = {
  welcome: {
    title: '歡迎加入會員 🎉',
    /** What the member gets comes from the program settings (the Q&A reward, the birthday gift), never a number here. */
    body: (name: string, completionPoints: number, birthdayGift: string) =>
      `${name ? `${name} ` : ''}您好！謝謝您加入我們的 LINE 好友。\n會員卡可以查看點數、優惠券和推薦好友，消費時出示條碼就能累積點數。${welcomeGifts(completionPoints, birthdayGift)}`,
    back: (name: string) => `${name ? `${name}，` : ''}歡迎回來！您的點數與優惠券都還在，隨時可以打開會員卡查看。`,
    backTitle: '歡迎回來 👋',
    openCard: '開啟會員卡',
  },
  consent: {
    notice: [
      '【個人資料蒐集告知】',
      '為了提供會員服務，我們會蒐集並使用：',
      '・LINE 顯示名稱與使用者識別碼',
      '・您在聊天中提供的資料（性別、生日、居住縣市、喜好）',
      '・消費、點數與優惠券的使用紀錄',
      '用途：會員點數與優惠、生日禮，以及依您的喜好推薦商品與活動。資料僅在會員服務期間、於台灣地區內使用，不會提供給無關的第三方。',
      '您可以隨時在會員卡的「我的」頁面查看、下載或刪除資料。不同意也能使用會員卡與點數，只是不會收到個人化的推薦。',
      '請問您同意嗎？',
    ].join('\n'),
    accept: '同意',
    decline: '不同意',
    accepted: '謝謝您的同意！',
    declined:
      '了解，我們不會詢問或使用您的喜好資料。會員卡、點數和優惠券都可以照常使用；之後想填寫，輸入「同意」就可以了。',
    alreadyAccepted: '您先前已經同意囉，謝謝！',
    askFirst: '填寫個人資料前，需要先請您確認個資告知 👇',
  },
  persona: {
    progress: (i: number, total: number) => `（${i}/${total}）`,
    skip: '略過',
    done: '完成',
    pickDate: '選擇日期',
    restart: '重新填寫',
    continue: '繼續填寫',
    resume: '我們從上次停下的地方繼續 👇',
    restarted: '好的，我們重新開始填寫 📝',
    picked: (labels: string[]) => `已選：${labels.join('、')}。\n還可以再選，選好請按「完成」。`,
    unpickedAll: '目前還沒有選擇，請點選下方選項。',
    maxReached: (max: number) => `最多可以選 ${max} 項喔，選好請按「完成」。`,
    nonePicked: '請至少選一項，或按「略過」。',
    invalidChoice: '請從下方按鈕選一個，或直接輸入選項的文字。\n（想問別的事，輸入「說明」看看選單）',
    invalidDate: `這個日期好像不太對，請按「選擇日期」，或輸入像 ${DATE_EXAMPLE} 這樣的日期（不能是未來的日子）。`,
    invalidText: '這個回答的格式不太對，請再輸入一次。',
    invalidEmail: '請輸入有效的 Email，例如 name@example.com。',
    invalidPhone: '這個手機號碼好像不太對，請輸入 09 開頭的 10 碼手機，例如 0912-345-678；不想留也可以按「略過」。',
    phoneTaken:
      '這支手機號碼已經登記在其他會員帳號，無法重複使用。如果是您本人的號碼，請到門市或聯絡客服協助處理；也可以輸入其他號碼，或按「略過」。',
    invalidNumber: (min: number, max: number, unit?: string) =>
      `請輸入 ${n(min)} 到 ${n(max)} 之間的${unit ? `數字（單位：${unit}）` : '數字'}。`,
    otherPrompt: '請直接輸入您的答案。',
    cannotSkip: '這題需要回答喔，請選擇或輸入答案。',
    stale: '那一題已經回答過了，我們接著這一題：',
    // Shared with the push sent when the member card completes the questions, so both say the same.
    reward: programText.personaReward,
    updated: '資料已更新，謝謝您！',
    summaryTitle: '📋 您的會員資料',
    summaryEmpty: '您還沒有填寫任何資料。',
    summaryUnanswered: '（未填寫）',
    summaryIncomplete: '還有題目沒完成，按「繼續填寫」接著回答。',
    summaryComplete: '想修改的話，按「重新填寫」即可。',
  },
  points: {
    balance: (points: number) => `💰 您目前有 ${n(points)} 點`,
    tier: (label: string, multiplier: number) =>
      `🏅 會員等級：${label}${multiplier !== 1 ? `（${tierMultiplierText(multiplier)}）` : ''}`,
    nextTier: tierNextText,
    tierReached: tierReachedText,
    topTier: '您已經是最高等級，謝謝您的支持！',
    expiring: (points: number, date: string) => `⏰ 有 ${n(points)} 點將在 ${date} 到期，記得使用喔`,
    history: '點數明細',
  },
  credit: {
    balance: (amount: number) => `💳 您目前有購物金 ${money(amount)}`,
    expiring: (amount: number, date: string) => `⏰ 其中 ${money(amount)} 將在 ${date} 到期，記得在結帳時使用喔`,
    noExpiring: '目前沒有即將到期的購物金。',
    none: '購物金可在生日、推薦好友或活動時獲得，結帳時可以折抵消費。',
  },
  coupons: {
    none: '目前沒有可使用的優惠券。',
    exchangeHint: (count: number) => `有 ${count} 種優惠券可以用點數兌換，打開會員卡看看吧！`,
    altText: (count: number) => `您有 ${count} 張可使用的優惠券`,
    validUntil: couponValidUntilText,
    code: (code: string) => `券號：${code}`,
    show: '出示優惠券',
    more: (count: number) => `還有 ${count} 張優惠券，請打開會員卡查看全部。`,
  },
  /** 集點 / 集點卡 / 我的集點 (#16.1): the member's stamp cards as flex bubbles. */
  stamps: {
    none: '目前沒有進行中的集點卡活動，有新活動會第一時間通知您！',
    altText: (name: string, stamps: string, needed: string) => `${name}：已集 ${stamps} / ${needed} 點`,
    hint: '結帳時出示會員條碼，每次消費都能集點 ☕',
    open: '打開會員卡',
  },
  card: {
    text: '點下方按鈕打開您的會員卡：可出示會員條碼、查看點數、優惠券與推薦好友。',
    altText: '打開會員卡',
  },
  referral: {
    summary: (code: string, joined: number) =>
      `🤝 您的推薦碼：${code}\n邀請好友加入，好友輸入您的推薦碼並完成第一筆消費後，你們都能獲得獎勵。${joined ? `\n已有 ${joined} 位好友透過您加入，謝謝！` : ''}`,
    shareText: (code: string, link: string) => `我在用這個會員卡，加入時輸入推薦碼 ${code} 就有好禮：${link}`,
    share: '分享給好友',
  },
  help: {
    text: [
      '您可以點下方選單，或輸入以下文字：',
      '・會員卡：打開會員卡與會員條碼',
      '・點數：查詢點數與會員等級',
      '・優惠券：查看可使用的優惠券',
      '・推薦：取得推薦碼邀請好友',
      '・資料：查看或重新填寫個人資料',
      '・推薦碼 XXXXXX：使用好友的推薦碼',
    ].join('\n'),
    unknown: '不好意思，我還不太懂這句話 🙇\n可以試試輸入「點數」、「優惠券」或「說明」，也可以點下方的選單。',
    tagged: (labels: string[]) =>
      `謝謝分享！之後會多推薦${labels.join('、')}相關的好康給您 😊\n想查點數或優惠券，輸入「說明」看看選單。`,

    /** Added to 說明 only while the program runs a 集點卡 / gives 購物金 (#16). */
    stampsLine: '・集點：查看集點卡進度',
    creditLine: '・購物金：查詢購物金餘額與到期日',
  },
  media: {
    sticker: '收到您的貼圖了 😊 有什麼需要幫忙的，直接輸入文字或輸入「說明」看看選單。',
    image: '謝謝您傳來的照片！這裡是自動回覆，如果是商品或訂單問題，請用文字描述，我們會盡快協助。',
    video: '謝謝您傳來的影片！這裡是自動回覆，如果是商品或訂單問題，請用文字描述，我們會盡快協助。',
    audio: '謝謝您的語音訊息！目前無法收聽語音，請用文字描述您的問題，我們會盡快協助。',
    file: '謝謝您傳來的檔案！這裡是自動回覆，如有問題請用文字描述，我們會盡快協助。',
    location: '謝謝您分享位置！想找門市或活動資訊，輸入「說明」看看選單。',
  },
  beacon: {
    enter: '歡迎光臨！結帳時出示會員卡條碼就能累積點數，也別忘了看看有沒有可用的優惠券 😊',
  },
  survey: {
    invalid: '這份問卷已經結束或連結有誤，謝謝您的熱心！',
  },
  error: {
    generic: '系統有點忙，請稍後再試一次 🙏',
  },
  /**
   * The 1:1 inbox (#13.5). `{next_opening}` is the next opening time (「明天（週四）10:00」), `{media}` 照片/影片/檔案.
   */
  inbox: {
    openedAsked:
      '好的，已經請客服同仁來協助您 🙋\n同仁看到後會直接在這裡回覆，您可以先留下想問的事情。在同仁回覆前，自動回覆會先暫停。',
    openedImage: '謝謝您傳來的{media}！已經轉給客服同仁，同仁會盡快在這裡回覆您 🙋',
    /** After the fallback text (help.unknown), when a colleague takes over. */
    openedUnanswered: '已經請客服同仁看看，同仁會盡快在這裡回覆您。',
    joined: '客服同仁已經收到您的訊息，會盡快回覆您，請稍候 🙏',
    closedAsked:
      '謝謝您！現在不是客服時間，同仁會在 {next_opening} 上線。到時候輸入「真人客服」就能和同仁聊聊；這段時間自動回覆仍會盡力協助您 😊',
    closedImage:
      '謝謝您傳來的{media}！現在不是客服時間，同仁會在 {next_opening} 上線。到時候輸入「真人客服」再傳一次{media}，同仁就能協助您。',
    /** After the fallback text (help.unknown), outside the inbox's opening hours. */
    closedUnanswered: '客服同仁會在 {next_opening} 上線，想找真人協助可以到時候輸入「真人客服」。',
    noAgents: '目前沒有提供線上真人客服，想查點數或優惠券，輸入「說明」看看選單。',
    /** `{media}` of the image texts, by what the customer sent. */
    media: { image: '照片', video: '影片', file: '檔案', other: '訊息' } as Record<string, string>,
  },
  // #13.2–#13.4: built-in intents, unsubscribe and the Q&A's "back to the question". Plain templates with
  // `{name}`-style variables (filled when sent), so the console can make them editable.
  conversation: {
    greeting:
      '{name}您好 😊 有什麼可以幫忙的嗎？\n可以直接輸入問題，例如「營業時間」、「點數怎麼用」，或輸入「說明」看看選單。',
    thanks: '不客氣 😊 有其他問題隨時問我們喔！',
    agentAsked: '收到！已經請同事來協助您，會盡快在這裡回覆您，請稍候 🙏',
    unsubscribeConfirm: '確定不想再收到優惠與活動訊息嗎？\n（點數、優惠券到期和生日禮等會員通知還是會照常傳送）',
    unsubscribeYes: '確定取消',
    unsubscribeNo: '繼續接收',
    unsubscribed:
      '已為您取消優惠與活動訊息 🙏\n點數、優惠券和生日禮等會員通知仍會照常傳送。\n想再收到優惠，隨時輸入「訂閱」，或打開會員卡「我的」頁面開啟「接收優惠訊息」。',
    unsubscribeKept: '好的，我們會繼續把優惠消息傳給您 😊',
    alreadyUnsubscribed: '您目前沒有訂閱優惠訊息喔。想收到優惠時，輸入「訂閱」就可以了。',
    resubscribed: '已為您開啟優惠訊息 🎉 有好康會第一時間通知您！\n不想收時，輸入「取消訂閱」即可。',
    alreadySubscribed: '您已經有訂閱優惠訊息囉，謝謝您！',
    resubscribeNeedsConsent: '開啟優惠訊息前，需要先請您確認個資告知 👇',
    couponIssued: '🎁 送您一張「{coupon}」，已經放進會員卡的優惠券裡了！',
  },
  commands: {
    card: '會員卡',
    points: '點數',
    coupons: '優惠券',
    referral: '推薦',
    profile: '資料',
    help: '說明',
  },
} as const;

function welcomeGifts(completionPoints: number, birthdayGift: string): string {
  const parts = [
    completionPoints > 0 ? `填完會員小問答送 ${n(completionPoints)} 點` : '',
    birthdayGift ? `生日還有 ${birthdayGift} 等著您` : '',
  ].filter(Boolean);
  return parts.length ? `\n🎁 ${parts.join('，')}！` : '';
}

const G = {
  welcome: '歡迎訊息',
  consent: '個資告知',
  persona: '會員問答',
  fallback: '聽不懂與說明',
  keywords: '關鍵字回覆',
  media: '收到貼圖、照片或檔案',
  store: '門市',
  conversation: '常用意圖與取消訂閱',
  inbox: '轉接真人客服',
} as const;

/** The welcome card as the bot sends it (follow.handler.ts), for the console's preview and the validator. */
const welcomeCard =
  (part: 'title' | 'body', back = false) =>
  (text: string, ctx: { textOf(key: string): string; sample: Record<string, unknown> }) => {
    const title = part === 'title' ? text : ctx.textOf(back ? 'welcome.backTitle' : 'welcome.title');
    const body = part === 'body' ? text : ctx.textOf(back ? 'welcome.back' : 'welcome.body');
    return linkBubbleMessage({
      altText: back ? body : title,
      title,
      body,
      buttonLabel: ctx.textOf('welcome.openCard'),
      url: String(ctx.sample.card_url),
    }) as Record<string, unknown>;
  };

/** The stamp card the console previews its editable stamp texts on. */
const SAMPLE_STAMP_CARD: StampCardView = {
  id: 'sample',
  templateId: 'sample',
  name: '飲料集點卡',
  stampsNeeded: 10,
  stamps: 6,
  status: 'active',
  expiresAt: null,
  validityDays: 180,
  rewards: [
    { at: 5, label: '20 點', given: true, completion: false },
    { at: 10, label: '「招牌飲品兌換券」', given: false, completion: true },
  ],
};

const stampPreview =
  (part: 'altText' | 'hint' | 'open') =>
  (text: string, ctx: { textOf(key: string): string; sample: Record<string, unknown> }) =>
    stampCardsMessage([SAMPLE_STAMP_CARD], {
      altText: part === 'altText' ? text : ctx.textOf('stamps.altText'),
      hint: part === 'hint' ? text : ctx.textOf('stamps.hint'),
      buttonLabel: part === 'open' ? text : ctx.textOf('stamps.open'),
      url: String(ctx.sample.card_url),
      expiryDate: () => null,
    }) as Record<string, unknown>;

/**
 * The chat texts a marketer may edit (console 「訊息內容」), by catalogue path. One line makes another text editable;
 * a function text names its parameters in order (`args`), which become its placeholders.
 */
const EDITABLE: Record<string, ReplyEntrySpec> = {
  'welcome.title': {
    label: '新好友歡迎卡：標題',
    group: G.welcome,
    kind: 'flex',
    maxLength: 400,
    render: welcomeCard('title'),
  },
  'welcome.body': {
    label: '新好友歡迎卡：內文',
    group: G.welcome,
    kind: 'flex',
    args: ['name', 'completion_points', 'birthday_gift'],
    context: ['card_url'],
    template:
      '{name} 您好！謝謝您加入我們的 LINE 好友。\n會員卡可以查看點數、優惠券和推薦好友，消費時出示條碼就能累積點數。\n🎁 填完會員小問答送 {completion_points} 點，生日還有 {birthday_gift} 等著您！',
    hint: '加入好友時送出。點數與生日禮會依「方案設定」自動帶入。',
    render: welcomeCard('body'),
  },
  'welcome.backTitle': {
    label: '回鍋好友歡迎卡：標題',
    group: G.welcome,
    kind: 'flex',
    maxLength: 400,
    render: welcomeCard('title', true),
  },
  'welcome.back': {
    label: '回鍋好友歡迎卡：內文',
    group: G.welcome,
    kind: 'flex',
    args: ['name'],
    context: ['card_url', 'completion_points', 'birthday_gift'],
    maxLength: 400,
    hint: '封鎖後重新加入好友時送出。',
    render: welcomeCard('body', true),
  },
  'welcome.openCard': { label: '歡迎卡按鈕', group: G.welcome, kind: 'label' },
  'consent.notice': {
    label: '個資告知內容',
    group: G.consent,
    kind: 'buttons',
    hint: '加入好友後、開始會員問答前送出，下方附「同意／不同意」按鈕。',
    render: (text, ctx) => ({
      type: 'text',
      text,
      quickReply: {
        items: ['consent.accept', 'consent.decline'].map((k) => ({
          type: 'action',
          action: { type: 'postback', label: ctx.textOf(k), data: k, displayText: ctx.textOf(k) },
        })),
      },
    }),
  },
  'consent.accept': { label: '個資告知：同意按鈕', group: G.consent, kind: 'label' },
  'consent.decline': { label: '個資告知：不同意按鈕', group: G.consent, kind: 'label' },
  'consent.accepted': { label: '同意後的回覆', group: G.consent },
  'consent.declined': { label: '不同意後的回覆', group: G.consent },
  'consent.alreadyAccepted': { label: '重複同意時的回覆', group: G.consent },
  'consent.askFirst': { label: '尚未同意就想填資料時', group: G.consent },
  'persona.resume': { label: '繼續填寫問答的開場', group: G.persona },
  'persona.restarted': { label: '重新填寫問答的開場', group: G.persona },
  'persona.invalidChoice': { label: '問答中回答不在選項內', group: G.persona },
  'persona.phoneTaken': { label: '問答中手機號碼已被其他會員使用', group: G.persona },
  'persona.updated': { label: '資料更新完成', group: G.persona },
  'help.unknown': { label: '聽不懂時的回覆', group: G.fallback, hint: '客人輸入的話沒有對應的關鍵字或問答時送出。' },
  'help.text': { label: '「說明」的回覆', group: G.fallback },
  'help.stampsLine': { label: '「說明」：集點那一行（有集點卡時）', group: G.fallback },
  'help.creditLine': { label: '「說明」：購物金那一行（有購物金時）', group: G.fallback },
  'help.tagged': {
    label: '客人分享喜好後的回覆',
    group: G.fallback,
    args: ['labels'],
    template: '謝謝分享！之後會多推薦{labels}相關的好康給您 😊\n想查點數或優惠券，輸入「說明」看看選單。',
  },
  'card.text': { label: '「會員卡」的回覆', group: G.keywords },
  'points.balance': {
    label: '「點數」：目前點數',
    group: G.keywords,
    args: ['points'],
    template: '💰 您目前有 {points} 點',
  },
  'points.topTier': { label: '「點數」：已是最高等級', group: G.keywords },
  'credit.balance': {
    label: '「購物金」：目前餘額',
    group: G.keywords,
    args: ['amount'],
    template: '💳 您目前有購物金 NT${amount}',
  },
  'credit.expiring': {
    label: '「購物金」：即將到期',
    group: G.keywords,
    args: ['amount', 'date'],
    template: '⏰ 其中 NT${amount} 將在 {date} 到期，記得在結帳時使用喔',
  },
  'credit.noExpiring': { label: '「購物金」：沒有即將到期', group: G.keywords },
  'credit.none': { label: '「購物金」：沒有購物金', group: G.keywords },
  'coupons.none': { label: '「優惠券」：沒有可用的券', group: G.keywords },
  'stamps.none': { label: '「集點」：沒有進行中的集點卡', group: G.keywords },
  'stamps.altText': {
    label: '「集點」：集點卡通知文字',
    group: G.keywords,
    kind: 'flex',
    args: ['name', 'stamps', 'needed'],
    context: ['card_url'],
    maxLength: 400,
    hint: '聊天列表與通知上顯示的文字。',
    render: stampPreview('altText'),
  },
  'stamps.hint': {
    label: '「集點」：集點卡下方說明',
    group: G.keywords,
    kind: 'flex',
    context: ['card_url'],
    render: stampPreview('hint'),
  },
  'stamps.open': {
    label: '「集點」：集點卡按鈕',
    group: G.keywords,
    kind: 'label',
  },
  'media.sticker': { label: '收到貼圖', group: G.media },
  'media.image': { label: '收到照片', group: G.media },
  'media.video': { label: '收到影片', group: G.media },
  'media.audio': { label: '收到語音', group: G.media },
  'media.file': { label: '收到檔案', group: G.media },
  'media.location': { label: '收到位置', group: G.media },
  'beacon.enter': { label: '走進門市（Beacon）', group: G.store },
  'conversation.greeting': { label: '客人打招呼（你好、哈囉）', group: G.conversation, args: ['name'] },
  'conversation.thanks': { label: '客人道謝（謝謝、3Q）', group: G.conversation },
  'conversation.unsubscribeConfirm': { label: '取消訂閱：確認問題', group: G.conversation },
  'conversation.unsubscribeYes': { label: '取消訂閱：確認按鈕', group: G.conversation, kind: 'label' },
  'conversation.unsubscribeNo': { label: '取消訂閱：保留按鈕', group: G.conversation, kind: 'label' },
  'conversation.unsubscribed': { label: '取消訂閱完成', group: G.conversation },
  'conversation.unsubscribeKept': { label: '決定繼續接收', group: G.conversation },
  'conversation.alreadyUnsubscribed': { label: '已取消訂閱時再說取消', group: G.conversation },
  'conversation.resubscribed': { label: '重新訂閱完成', group: G.conversation },
  'conversation.alreadySubscribed': { label: '已訂閱時再說訂閱', group: G.conversation },
  'conversation.resubscribeNeedsConsent': { label: '重新訂閱前需先同意個資告知', group: G.conversation },
  'conversation.couponIssued': { label: '自動回覆送出優惠券', group: G.conversation, args: ['coupon'] },
  'inbox.openedAsked': { label: '客人要求真人客服（客服時間內）', group: G.inbox },
  'inbox.openedImage': { label: '收到照片後轉給客服（客服時間內）', group: G.inbox, args: ['media'] },
  'inbox.openedUnanswered': {
    label: '聽不懂後轉給客服（接在「聽不懂時的回覆」之後）',
    group: G.inbox,
  },
  'inbox.joined': { label: '客服處理中時客人又傳訊息', group: G.inbox },
  'inbox.closedAsked': { label: '非客服時間要求真人客服', group: G.inbox, args: ['next_opening'] },
  'inbox.closedImage': { label: '非客服時間收到照片', group: G.inbox, args: ['next_opening', 'media'] },
  'inbox.closedUnanswered': {
    label: '非客服時間聽不懂（接在「聽不懂時的回覆」之後）',
    group: G.inbox,
    args: ['next_opening'],
  },
  'inbox.noAgents': { label: '沒有提供真人客服時', group: G.inbox },
};

/** The chat's texts: the built-in wording, with the marketer's edits where stored (domain/replies). */
export const zhTW = editableTexts('', builtIn, EDITABLE);

export type Catalogue = typeof zhTW;
export const t = zhTW;
