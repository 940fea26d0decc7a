import type { PersonaScriptInput } from './persona-script.schema';

/**
 * The persona script a new brand starts with (marketers can edit it in the console). Static data first
 * (gender, birthday, city), then preferences that become tags for segments: interests, price sensitivity,
 * favourite promotion and the time of day the member likes to hear from the brand; last, an optional mobile number.
 *
 * Lives in domain/, beside the engine that runs it, because the console's script editor reads it too.
 */
export const DEFAULT_PERSONA_SCRIPT: PersonaScriptInput = {
  intro:
    '接下來有幾個小問題（約 1 分鐘），幫助我們推薦更適合您的好康。每題都可以按「略過」，中途離開也沒關係，下次會從停下的地方繼續。',
  completion: '全部完成，謝謝您花時間讓我們更認識您！之後的優惠會更貼近您的喜好 💝',
  questions: [
    {
      id: 'gender',
      title: '性別',
      type: 'single',
      field: 'gender',
      prompt: '請問您的性別是？',
      options: [
        { id: 'female', label: '女性', value: 'female', aliases: ['女', '女生'] },
        { id: 'male', label: '男性', value: 'male', aliases: ['男', '男生'] },
        { id: 'other', label: '其他', value: 'other' },
        { id: 'undisclosed', label: '不透露', value: 'undisclosed', aliases: ['不想說', '保密'] },
      ],
    },
    {
      id: 'birthday',
      title: '生日',
      type: 'date',
      field: 'birthday',
      prompt:
        '您的生日是哪一天呢？生日當月有專屬好禮 🎂\n請按「選擇日期」，或直接輸入，例如 1990/05/20 或 民國79年5月20日。',
      invalidMessage: '這個日期好像不太對，請按「選擇日期」，或輸入像 1990/05/20 這樣的日期（不能是未來的日子）。',
    },
    {
      id: 'city',
      title: '居住縣市',
      type: 'single',
      field: 'city',
      prompt: '您住在哪個縣市呢？我們會優先通知您附近門市的活動。',
      options: [
        { id: 'taipei', label: '台北市', aliases: ['臺北市', '台北', '臺北'] },
        { id: 'new-taipei', label: '新北市', aliases: ['新北'] },
        { id: 'taoyuan', label: '桃園市', aliases: ['桃園'] },
        { id: 'taichung', label: '台中市', aliases: ['臺中市', '台中', '臺中'] },
        { id: 'tainan', label: '台南市', aliases: ['臺南市', '台南', '臺南'] },
        { id: 'kaohsiung', label: '高雄市', aliases: ['高雄'] },
        { id: 'hsinchu', label: '新竹', value: '新竹', aliases: ['新竹市', '新竹縣'] },
        {
          id: 'other',
          label: '其他',
          askText: true,
          textPattern: '^(.{1,4}[縣市]|海外|國外|離島)$',
          textPrompt: '請輸入您所在的縣市，例如：宜蘭縣、花蓮縣、海外。',
        },
      ],
    },
    {
      id: 'interests',
      title: '興趣',
      type: 'multi',
      prompt: '您對哪些商品有興趣？可以複選，選好後按「完成」。',
      options: [
        { id: '3c', label: '3C', tags: ['興趣:3C'], keywords: ['3C', '手機', '電腦', '耳機', '平板', '相機'] },
        {
          id: 'beauty',
          label: '美妝',
          tags: ['興趣:美妝'],
          aliases: ['保養', '化妝品'],
          keywords: ['美妝', '保養', '化妝', '口紅', '面膜', '彩妝'],
        },
        { id: 'snacks', label: '零食', tags: ['興趣:零食'], keywords: ['零食', '餅乾', '巧克力', '洋芋片'] },
        {
          id: 'home',
          label: '居家',
          tags: ['興趣:居家'],
          aliases: ['居家生活'],
          keywords: ['居家', '收納', '寢具', '家具', '廚具'],
        },
        {
          id: 'fashion',
          label: '服飾',
          tags: ['興趣:服飾'],
          aliases: ['衣服', '穿搭'],
          keywords: ['服飾', '衣服', '穿搭', '外套', '包包'],
        },
        {
          id: 'sports',
          label: '運動',
          tags: ['興趣:運動'],
          aliases: ['健身'],
          keywords: ['運動', '健身', '跑步', '瑜珈', '球鞋'],
        },
        {
          id: 'travel',
          label: '旅遊',
          tags: ['興趣:旅遊'],
          aliases: ['旅行'],
          keywords: ['旅遊', '旅行', '出國', '露營'],
        },
        { id: 'food', label: '美食', tags: ['興趣:美食'], keywords: ['美食', '餐廳', '咖啡', '甜點'] },
        {
          id: 'family',
          label: '親子',
          tags: ['興趣:親子'],
          aliases: ['育兒', '小孩'],
          keywords: ['親子', '育兒', '寶寶', '小孩', '童裝'],
        },
        {
          id: 'pets',
          label: '寵物',
          tags: ['興趣:寵物'],
          aliases: ['毛小孩'],
          keywords: ['寵物', '毛小孩', '貓咪', '狗狗', '飼料'],
        },
      ],
    },
    {
      id: 'price',
      title: '價格偏好',
      type: 'single',
      field: 'preferences.priceSensitivity',
      prompt: '買東西時，您比較在意？',
      options: [
        {
          id: 'value',
          label: '價格划算',
          value: 'high',
          tags: ['價格敏感'],
          aliases: ['價格', '划算', '便宜', '省錢', 'CP值'],
        },
        { id: 'quality', label: '品質優先', value: 'low', tags: ['重視品質'], aliases: ['品質'] },
        { id: 'balanced', label: '兩者都重要', value: 'medium', aliases: ['都重要', '兩者兼顧'] },
      ],
    },
    {
      id: 'promotion',
      title: '偏好優惠',
      type: 'single',
      field: 'preferences.promotionType',
      prompt: '哪一種優惠最吸引您？',
      options: [
        { id: 'discount', label: '折扣', value: 'discount', tags: ['偏好優惠:折扣'], aliases: ['打折', '折價'] },
        { id: 'gift', label: '滿額贈', value: 'gift', tags: ['偏好優惠:滿額贈'], aliases: ['贈品'] },
        { id: 'points', label: '點數回饋', value: 'points', tags: ['偏好優惠:點數'], aliases: ['點數', '回饋'] },
        { id: 'free-shipping', label: '免運', value: 'free_shipping', tags: ['偏好優惠:免運'], aliases: ['免運費'] },
        { id: 'bogo', label: '買一送一', value: 'bogo', tags: ['偏好優惠:買一送一'], aliases: ['買一送一', '第二件'] },
      ],
    },
    {
      id: 'contact-time',
      title: '方便聯絡時段',
      type: 'single',
      field: 'preferences.contactTime',
      prompt: '您通常什麼時段方便看訊息？',
      options: [
        { id: 'morning', label: '早上', value: 'morning', aliases: ['上午'] },
        { id: 'noon', label: '中午', value: 'noon', aliases: ['午休'] },
        { id: 'afternoon', label: '下午', value: 'afternoon' },
        { id: 'evening', label: '晚上', value: 'evening', aliases: ['下班後'] },
        { id: 'any', label: '都可以', value: 'any', aliases: ['隨時', '都行'] },
      ],
    },
    {
      // Optional, last: the counter finds the member by it (「請問手機號碼？」). A number already on an imported
      // record is proposed to staff for a merge, never merged silently (domain/members/member-phone.service.ts).
      id: 'phone',
      title: '手機',
      type: 'text',
      field: 'phone',
      validator: { kind: 'phone', minLength: 1, maxLength: 20 },
      prompt:
        '最後，方便留下您的手機號碼嗎？到門市結帳時報手機就能找到您的會員資料 📱\n例如 0912-345-678，不想留可以按「略過」。',
      invalidMessage: '這個手機號碼好像不太對，請輸入 09 開頭的 10 碼手機，例如 0912-345-678；不想留也可以按「略過」。',
    },
  ],
};
