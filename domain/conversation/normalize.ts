/**
 * How a customer's chat text is read before matching: the same sentence typed on a phone, a keyboard with a
 * full-width layout, with emoji or with a trailing particle must read the same. Pure; no I/O.
 *
 * - NFKC folds full-width letters, digits and punctuation to half-width (？ → ?, ＯＫ → OK); then lower case.
 * - 臺 is read as 台 (臺北 = 台北).
 * - Emoji, punctuation, symbols and whitespace are dropped: 「營業時間?」「營業時間 ？」「營業時間🙏」 are one text.
 * - Trailing particles (呢 嗎 啊 喔 耶 吧 啦 …) are dropped, repeatedly, as long as something remains:
 *   「好喔」→「好」, 「生日禮呢」→「生日禮」, but 「呢」 alone stays 「呢」.
 */

const PARTICLES = new Set([
  '呢',
  '嗎',
  '啊',
  '喔',
  '耶',
  '吧',
  '啦',
  '呀',
  '哦',
  '唷',
  '喲',
  '欸',
  '誒',
  '哈',
  'ㄚ',
  '捏',
  '咧',
  '勒',
]);

// Emoji and their modifiers (ZWJ, variation selectors, skin tones, keycaps), punctuation and symbols of any script.
const NOISE = /(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{P}\p{S}\s\u3000]|\u200d|\ufe0e|\ufe0f|\u20e3)+/gu;

/** The text as the matcher compares it (see the file comment). */
export function normalizeForMatch(input: string): string {
  const folded = input.normalize('NFKC').toLowerCase().replace(/臺/g, '台').replace(NOISE, '');
  const chars = [...folded];
  while (chars.length > 1 && PARTICLES.has(chars[chars.length - 1])) chars.pop();
  return chars.join('');
}

/** Two letters repeated ("嗯嗯", "好好", "okok") read as one: people double words to sound friendly. */
export function collapseRepeat(norm: string): string {
  const chars = [...norm];
  if (chars.length >= 2 && chars.length % 2 === 0) {
    const half = chars.length / 2;
    if (chars.slice(0, half).join('') === chars.slice(half).join('')) return chars.slice(0, half).join('');
  }
  if (chars.length > 1 && chars.every((c) => c === chars[0])) return chars[0];
  return norm;
}
