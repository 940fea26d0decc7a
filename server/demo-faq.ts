import type { FaqInput, RuleInput } from '../domain/conversation/conversation.schema';

/**
 * The demo brand's FAQ and keyword rules (the local seed, #13.2): what a Taiwanese lifestyle retailer's customers
 * ask in LINE. Answers that quote a number use the program-settings variables ({spend_per_point}, {tier_list},
 * {birthday_points} …), so they say what the settings say today. Pure data: the matcher table test and the
 * matcher bench read the same entries.
 */
export type DemoFaq = FaqInput & { seedKey: string };

export const DEMO_FAQ: DemoFaq[] = [
  {
    seedKey: 'faq:hours',
    question: '營業時間',
    alternatives: [
      '你們幾點開門',
      '幾點關門',
      '開到幾點',
      '營業到幾點',
      '今天有營業嗎',
      '假日有開嗎',
      '過年有營業嗎',
      '門市營業時間',
    ],
    answer: '🕙 各門市營業時間\n{store_hours}\n春節期間的營業時間會另外在 LINE 公告喔！',
    active: true,
  },
  {
    seedKey: 'faq:stores',
    question: '門市在哪裡',
    alternatives: [
      '門市地址',
      '有哪些門市',
      '實體店在哪',
      '店在哪裡',
      '最近的門市',
      '台北有門市嗎',
      '台中有店嗎',
      '高雄門市',
      '怎麼去你們店',
    ],
    answer: '📍 我們的門市\n{store_list}\n導航搜尋「{brand_name}」就找得到 😊',
    active: true,
  },
  {
    seedKey: 'faq:returns',
    question: '我要退貨',
    alternatives: [
      '怎麼退貨',
      '退貨流程',
      '可以退貨嗎',
      '退換貨',
      '我想換貨',
      '商品壞掉了可以換嗎',
      '尺寸不合可以換嗎',
      '退款要多久',
      '鑑賞期',
    ],
    answer:
      '↩️ 退換貨說明\n・網路訂單享 7 天鑑賞期，商品保持全新、包裝完整即可申請退貨。\n・門市購買可在 7 天內帶發票回任一門市換貨。\n・申請方式：會員卡 →「我的訂單」→ 申請退貨，或直接在這裡留言訂單編號。\n退款會在收到商品後 5–7 個工作天退回原付款方式。',
    active: true,
  },
  {
    seedKey: 'faq:shipping',
    question: '運費怎麼算',
    alternatives: [
      '多久會到貨',
      '什麼時候出貨',
      '有免運嗎',
      '可以超商取貨嗎',
      '寄送方式',
      '宅配要幾天',
      '可以寄到外島嗎',
      '訂單什麼時候會到',
      '運費多少',
    ],
    answer:
      '🚚 配送說明\n・宅配 NT$100、超商取貨 NT$60，單筆滿 NT$1,000 免運。\n・付款完成後 1–2 個工作天出貨，宅配約 1–3 天送達。\n・外島與偏遠地區需另加 3–5 天。',
    active: true,
  },
  {
    seedKey: 'faq:earn-points',
    question: '怎麼累積點數',
    alternatives: [
      '點數怎麼賺',
      '消費怎麼集點',
      '怎麼拿點數',
      '買東西有點數嗎',
      '網購也有點數嗎',
      '多少錢一點',
      '集點方式',
    ],
    answer:
      '💰 集點方式\n・消費每 NT${spend_per_point} 累積 1 點（銀卡、金卡有加倍），結帳時出示會員卡條碼就會自動入點。\n・填完會員資料送 {persona_points} 點，推薦好友成功也有點數。\n點數可以在會員卡查看明細。',
    active: true,
  },
  {
    seedKey: 'faq:use-points',
    question: '點數怎麼用',
    alternatives: [
      '點數可以折抵嗎',
      '點數可以換什麼',
      '點數怎麼兌換',
      '點數換優惠券',
      '點數可以折現嗎',
      '怎麼用點數',
      '點數要怎麼使用',
    ],
    answer:
      '🎁 點數使用方式\n打開會員卡 →「優惠券」→「用點數兌換」，就能把點數換成折價券，結帳時出示優惠券即可折抵。\n輸入「點數」可以查目前的點數和到期日。',
    active: true,
  },
  {
    seedKey: 'faq:points-expiry',
    question: '點數什麼時候到期',
    alternatives: ['點數會過期嗎', '點數有效期限', '點數期限多久', '點數到期'],
    answer:
      '⏰ {points_expiry}。\n到期前 {expiry_warn_days} 天會在 LINE 提醒您，輸入「點數」也能看到最近要到期的點數。',
    active: true,
  },
  {
    seedKey: 'faq:tiers',
    question: '會員等級有什麼好處',
    alternatives: ['會員等級', '金卡有什麼優惠', '銀卡福利', '等級權益', '會員分幾級', 'VIP有什麼好處', '會員制度'],
    answer: '🏅 會員等級與權益\n{tier_list}\n等級越高，每次消費的點數越多，升等時還會收到專屬優惠券！',
    active: true,
  },
  {
    seedKey: 'faq:upgrade',
    question: '怎麼升級',
    alternatives: [
      '升等條件',
      '怎麼變金卡',
      '要買多少才能升級',
      '怎樣才能升銀卡',
      '升級門檻',
      '等級怎麼算',
      '還差多少升等',
    ],
    answer:
      '⬆️ 升等方式\n依累積消費金額自動升等：\n{tier_list}\n輸入「點數」可以看到您目前的等級，以及離下一級還差多少。',
    active: true,
  },
  {
    seedKey: 'faq:birthday',
    question: '生日禮是什麼',
    alternatives: [
      '生日禮',
      '生日禮物',
      '生日有優惠嗎',
      '壽星有什麼好康',
      '生日禮怎麼領',
      '生日點數',
      '生日當月優惠',
      '沒收到生日禮',
    ],
    answer:
      '🎂 生日禮\n生日當天會自動送您 {birthday_points} 點生日禮，並在 LINE 通知您！\n記得先在會員卡填好生日（生日要在 30 天前設定才會送出喔）。',
    active: true,
  },
  {
    seedKey: 'faq:referral',
    question: '推薦好友有什麼獎勵',
    alternatives: [
      '推薦好友怎麼用',
      '邀請朋友有什麼好處',
      '推薦碼要怎麼用',
      '朋友加入我有點數嗎',
      '推薦獎勵',
      '分享給朋友有獎勵嗎',
    ],
    answer:
      '🤝 推薦好友\n輸入「推薦」取得您的推薦碼，分享給好友。好友加入時輸入推薦碼，並完成第一筆消費後，您會獲得 {referrer_points} 點、好友獲得 {referee_points} 點！',
    active: true,
  },
  {
    seedKey: 'faq:payment',
    question: '可以用什麼付款',
    alternatives: ['付款方式', '可以刷卡嗎', '有LINE Pay嗎', '可以用街口嗎', '可以分期嗎', '可以貨到付款嗎'],
    answer:
      '💳 付款方式\n門市：現金、信用卡、LINE Pay、街口支付、悠遊卡。\n網路：信用卡（可分 3 期 0 利率）、LINE Pay、ATM 轉帳、超商取貨付款。',
    active: true,
  },
  {
    seedKey: 'faq:invoice',
    question: '發票怎麼開',
    alternatives: ['可以打統編嗎', '發票載具', '電子發票', '發票可以存手機條碼嗎', '要報帳'],
    answer:
      '🧾 發票說明\n我們開立電子發票，結帳時可以告訴店員手機條碼載具或統一編號；網路訂單請在結帳頁填寫。發票會在 48 小時內上傳財政部。',
    active: true,
  },
  {
    seedKey: 'faq:join',
    question: '怎麼加入會員',
    alternatives: ['要怎麼註冊', '加入會員要錢嗎', '怎麼成為會員', '會員怎麼申請', '我要入會'],
    answer:
      '🙌 加入 LINE 好友就已經是會員囉，完全免費！點下方選單的「會員卡」就能看到您的會員條碼，填完會員資料還送 {persona_points} 點。',
    active: true,
  },
];

/** One keyword rule of the demo brand: outside opening hours, 「訂單」 questions get an honest "tomorrow". */
export const DEMO_RULES: Array<RuleInput & { seedKey: string }> = [
  {
    seedKey: 'rule:order-status',
    name: '查詢訂單',
    mode: 'any',
    words: ['訂單編號', '查訂單', '訂單查詢', '我的訂單'],
    priority: 10,
    days: [],
    reply: {
      kind: 'card',
      text: '打開會員卡的「我的訂單」就能看到每筆訂單的出貨進度 📦 有其他問題也可以直接留言訂單編號給我們。',
    },
    tags: ['關心訂單'],
    active: true,
  },
];
