/**
 * One spelling per Taiwanese city or county, so 臺北, 台北, 台北市 and 臺北市 are one city in every count and search.
 * The stored form is the one the persona chat offers (台北市, 宜蘭縣): 台 rather than 臺, full-width folded, spaces
 * dropped, and the 市/縣 suffix added to a short name that names one place only. 新竹 and 嘉義 are both a city and
 * a county, so they stay as typed. Applied on every write (the member model's hooks), by the segment city
 * condition, and by `npm run backfill:cities` to members stored before.
 */
const FULL_NAME_BY_SHORT: Record<string, string> = {
  台北: '台北市',
  新北: '新北市',
  桃園: '桃園市',
  台中: '台中市',
  台南: '台南市',
  高雄: '高雄市',
  基隆: '基隆市',
  苗栗: '苗栗縣',
  彰化: '彰化縣',
  南投: '南投縣',
  雲林: '雲林縣',
  屏東: '屏東縣',
  宜蘭: '宜蘭縣',
  花蓮: '花蓮縣',
  台東: '台東縣',
  澎湖: '澎湖縣',
  金門: '金門縣',
  連江: '連江縣',
  馬祖: '連江縣',
};

/** The stored spelling of a typed city (`臺北` → `台北市`); an empty result means "no city". */
export function normalizeCity(input: string): string {
  const s = input
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/臺/g, '台');
  return FULL_NAME_BY_SHORT[s] ?? s;
}

/** The stored spelling of a city value of unknown type (a write path may pass null or a non-string). */
export function normalizeCityValue(value: unknown): unknown {
  return typeof value === 'string' ? normalizeCity(value) : value;
}
