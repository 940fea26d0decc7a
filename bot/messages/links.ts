/** LINE's share sheet with the text filled in (friends pick who to send it to). The card's address: deps.links.card(). */
export function lineShareUrl(text: string): string {
  return `https://line.me/R/share?text=${encodeURIComponent(text)}`;
}
