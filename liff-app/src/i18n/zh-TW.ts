import {
  COUPON_STATUS_LABELS,
  couponValidUntilText,
  pointsExpiringText,
  tierMultiplierText,
  tierNextText,
  tierReachedText,
} from '../../../shared/vocabulary';

/**
 * Every word the member card shows (zh-TW, Taiwan wording). Server messages for known errors arrive already in
 * zh-TW (AppError); everything else the page says comes from here. Words the chat and the console say as well come
 * from shared/vocabulary.
 */
export const t = {
  appTitle: '會員卡',
  nav: { card: '會員卡', coupons: '優惠券', points: '點數', referral: '推薦', profile: '我的' },

  loading: '載入中…',
  retry: '重新整理',
  back: '返回',
  close: '關閉',
  cancel: '取消',
  confirm: '確定',
  save: '儲存',
  saving: '儲存中…',
  saved: '已儲存',
  copy: '複製',
  copied: '已複製',

  errors: {
    network: '網路連線不穩定，請確認網路後再試一次。',
    server: '系統暫時無法處理，請稍後再試。',
    sessionExpired: '登入已過期，正在重新登入…',
    liffInit: '無法啟動會員卡，請從 LINE 重新開啟。',
    notFound: '找不到這個頁面。',
  },

  notFollowing: {
    title: '先加入好友吧！',
    body: '加入官方帳號好友後，就能領取會員卡、累積點數和使用優惠券。',
    action: '加入好友',
    again: '我已加入，重新整理',
  },

  erased: {
    title: '您的個人資料已刪除',
    body: '我們已刪除您的姓名、聯絡方式、生日、偏好與聊天紀錄。感謝您一路以來的支持。',
  },

  loggedOut: {
    title: '已登出',
    body: '這支手機上的會員卡、點數與優惠券資料都已清除。',
    again: '重新開啟會員卡',
  },

  mockPicker: {
    title: '本機模式：選擇一位 LINE 使用者',
    body: '本機模式沒有真正的 LINE。請選一位模擬器裡的使用者，以他的身分開啟會員卡。',
    empty: '模擬器裡還沒有使用者。請先到開發用聊天頁建立使用者並加入好友。',
    openChat: '開啟開發用聊天頁',
    following: '已加好友',
    notFollowing: '尚未加好友',
  },

  card: {
    points: '點數',
    pointsUnit: '點',
    expiring: (points: number, date: string) => pointsExpiringText(points, date),
    noExpiring: '目前沒有即將到期的點數',
    credit: '購物金',
    creditExpiring: (amount: string, date: string) => `${amount} 將於 ${date} 到期`,
    refundDebt: (points: number) => `有 ${points} 點待扣回（退款訂單的點數已先使用），之後累積的點數會先抵扣。`,
    tierTop: '您已是最高等級會員',
    tierNext: (amount: string, label: string) => tierNextText(amount, label),
    tierReached: tierReachedText,
    multiplier: tierMultiplierText,
    showToStaff: '結帳時請出示條碼給店員掃描',
    memberCode: '會員編號',
    activeCoupons: (n: number) => (n ? `優惠券 ${n} 張` : '查看優惠券'),
    pointsHistory: '點數紀錄',
    invite: '邀請好友',
    completeProfile: '完成會員資料，享生日禮與專屬優惠',
    completeProfileAction: '立即填寫',
  },

  coupons: {
    tabs: {
      active: COUPON_STATUS_LABELS.active,
      used: COUPON_STATUS_LABELS.used,
      expired: COUPON_STATUS_LABELS.expired,
    },
    empty: { active: '目前沒有可使用的優惠券', used: '還沒有使用過優惠券', expired: '沒有已過期的優惠券' },
    validUntil: couponValidUntilText,
    noExpiry: '無使用期限',
    usedAt: (d: string) => `已於 ${d} 使用`,
    expiredAt: (d: string) => `已於 ${d} 過期`,
    showToCashier: '請將此畫面出示給店員',
    code: '優惠碼',
    terms: '使用說明',
    noTerms: '無特別限制',
    minSpend: (amount: string) => `單筆消費滿 ${amount} 可使用`,
    storesOnly: (names: string) => `限 ${names} 使用`,
    statusUsed: COUPON_STATUS_LABELS.used,
    statusExpired: COUPON_STATUS_LABELS.expired,
    exchangeTitle: '點數兌換',
    exchangeOpen: '用點數兌換優惠券',
    exchangeEmpty: '目前沒有可兌換的優惠券',
    exchangeCost: (p: number) => `${p} 點`,
    exchangeAction: '兌換',
    notEnough: '點數不足',
    unavailable: '無法兌換',
    exchangeConfirmTitle: '確認兌換',
    exchangeConfirmBody: (title: string, cost: number, after: number) =>
      `用 ${cost} 點兌換「${title}」？兌換後剩餘 ${after} 點。`,
    exchanging: '兌換中…',
    exchangeDone: '兌換成功！',
    exchangeDoneBody: (title: string, balance: number) => `「${title}」已放入您的優惠券夾，目前剩餘 ${balance} 點。`,
    viewCoupon: '查看優惠券',
    validDays: (d: number) => `兌換後 ${d} 天內有效`,
    yourPoints: (p: number) => `您目前有 ${p} 點`,
  },

  points: {
    title: '點數紀錄',
    balance: '目前點數',
    empty: '還沒有點數紀錄，消費或完成會員資料就能獲得點數喔！',
    more: '載入更多',
    end: '已顯示全部紀錄',
    expiresAt: (d: string) => `${d} 到期`,
    otherReason: '點數異動',
  },

  referral: {
    title: '推薦好友',
    intro: '分享您的推薦碼，好友加入後你們都能獲得獎勵！',
    yourCode: '我的推薦碼',
    share: '分享給好友',
    shareFallback: '已複製邀請連結，貼給好友即可',
    shareDone: '已送出邀請',
    friendsJoined: '好友已加入',
    rewardsEarned: '好友完成首購',
    pointsEarned: '獲得獎勵點數',
    enterTitle: '輸入好友的推薦碼',
    enterPlaceholder: '例如 AB12CD',
    enterAction: '送出',
    applied: '已成功綁定推薦人！',
    referredBy: (name: string) => `您的推薦人：${name}`,
  },

  brand: {
    stores: '門市資訊',
    map: '地圖',
    terms: '會員條款',
    privacy: '隱私權政策',
    phone: (p: string) => `客服電話 ${p}`,
    lineId: (id: string) => `LINE ID ${id}`,
  },

  offline: {
    notice: (time: string) => `離線中，點數為 ${time} 的資料`,
    couponsTitle: '已開啟過的優惠券',
    couponBadge: '離線資料',
    couponHint: '離線時顯示的是上次開啟的內容，若已在其他地方使用過，店員掃描時會顯示無效。',
    retry: '重新連線',
  },

  benefits: {
    title: '會員權益',
    open: '會員權益',
    earnTitle: '累積點數',
    useTitle: '使用點數',
    expiryTitle: '點數效期',
    tiersTitle: '會員等級',
    birthdayTitle: '生日禮',
    referralTitle: '推薦好友',
    profileTitle: '完成會員資料',
    profileGift: (p: number) => `完成會員資料即送 ${p} 點`,
    tierMultiplierNote: '消費達門檻即時升級；每晚依近 12 個月的消費金額檢視等級。點數倍率依結帳當下的等級計算。',
  },

  profile: {
    title: '我的資料',
    basics: '會員資料',
    edit: '編輯',
    notSet: '未填寫',
    phone: '手機',
    consentTitle: '訊息通知',
    marketing: '接收優惠與活動訊息',
    marketingHint: '關閉後仍會收到點數與優惠券等交易通知。',
    consentNeeded: '請先在聊天室同意「個人資料蒐集告知」，即可開啟優惠訊息。',
    consentStatus: {
      pending: '尚未確認個人資料蒐集告知',
      accepted: '已同意個人資料蒐集告知',
      declined: '未同意個人資料蒐集告知',
    } as Record<string, string>,
    privacyTitle: '隱私與個人資料',
    exportAction: '下載我的資料',
    exportHint: '查看我們為您保存的所有資料：可以列印或存成 PDF，也附上 JSON 檔。',
    exportReady: '資料已準備好，連結 5 分鐘內有效。',
    exportOpen: '開啟我的資料',
    logoutAction: '登出並清除這支手機上的資料',
    logoutHint: '和別人共用手機嗎？登出後，這支手機不會留下您的會員卡、點數與優惠券。',
    deleteAction: '刪除我的資料',
    deleteHint: '刪除姓名、聯絡方式、生日、偏好與聊天紀錄，剩下的點數和還沒用的優惠券也會作廢，此動作無法復原。',
    deleteConfirmTitle: '確定要刪除您的資料嗎？',
    deleteConfirmBody:
      '刪除後：姓名、手機、Email、生日、偏好與聊天紀錄將永久刪除，會員卡也會停用，剩下的點數和還沒用的優惠券一併作廢（門市與線上都不能再使用）。為了帳務正確，僅保留不具名的點數紀錄與消費統計。',
    deleteConfirmRejoin:
      '為了防止重複領取，我們會把您的 LINE 帳號和手機號碼轉成無法還原的加密編碼，只記下已經領過的一次性禮遇（完成會員資料禮、推薦新朋友禮、當年度生日禮、新會員禮及限領次數的優惠券），其他資料一概不留。日後再加入會是全新的會員，但這些禮遇不會再發一次。',
    deleteConfirmAction: '確認刪除',
    deleting: '刪除中…',
  },
};
