import { displayLink, utmCampaignSlug, withUtm } from '../../../domain/campaigns/link-display';
import { rewriteLinks } from '../../../domain/campaigns/tracked-links.service';

const utm = { source: 'line', medium: 'campaign', campaign: 'anniversary-2026' };

describe('#17.4 UTM parameters on outbound links', () => {
  it('adds source, medium and campaign, keeping the link own parameters and fragment', () => {
    const out = new URL(withUtm('https://shop.example.com/sale?color=red&size=M#top', utm));
    expect(out.host).toBe('shop.example.com');
    expect(out.pathname).toBe('/sale');
    expect(out.hash).toBe('#top');
    expect([...out.searchParams]).toEqual([
      ['color', 'red'],
      ['size', 'M'],
      ['utm_source', 'line'],
      ['utm_medium', 'campaign'],
      ['utm_campaign', 'anniversary-2026'],
    ]);
  });

  it('a UTM parameter the marketer already wrote wins; non-web links are left alone', () => {
    const out = new URL(withUtm('https://shop.example.com/?utm_campaign=mine', utm));
    expect(out.searchParams.getAll('utm_campaign')).toEqual(['mine']);
    expect(out.searchParams.get('utm_source')).toBe('line');
    expect(withUtm('tel:0912345678', utm)).toBe('tel:0912345678');
    expect(withUtm('不是網址', utm)).toBe('不是網址');
  });

  it('slugs: the marketer own, the ASCII words of the name, or the id for a Chinese-only name', () => {
    expect(utmCampaignSlug('週年慶', '65a1b2c3d4e5f6a7b8c9d0e1', 'fall_sale')).toBe('fall_sale');
    expect(utmCampaignSlug('Anniversary Sale 2026 週年慶！', '65a1b2c3d4e5f6a7b8c9d0e1')).toBe('anniversary-sale-2026');
    expect(utmCampaignSlug('母親節快樂', '65a1b2c3d4e5f6a7b8c9d0e1')).toBe('campaign-c9d0e1');
  });

  it('a journey step: utm_content names the step (a marketer-written one wins); a Chinese-only journey is journey-<id>', () => {
    const step = { source: 'line', medium: 'journey', campaign: 'welcome', content: 'hello' };
    expect(withUtm('https://shop.example.com/a', step)).toBe(
      'https://shop.example.com/a?utm_source=line&utm_medium=journey&utm_campaign=welcome&utm_content=hello',
    );
    expect(
      new URL(withUtm('https://shop.example.com/?utm_content=mine', step)).searchParams.getAll('utm_content'),
    ).toEqual(['mine']);
    expect(new URL(withUtm('https://shop.example.com/', utm)).searchParams.has('utm_content')).toBe(false);
    expect(utmCampaignSlug('歡迎旅程', '65a1b2c3d4e5f6a7b8c9d0e1', null, 'journey')).toBe('journey-c9d0e1');
  });
});

describe('#17.4 links customers can trust', () => {
  it('shows the destination host and first path segment, decoded, without www', () => {
    expect(displayLink('https://www.shop.example.com/%E6%B4%BB%E5%8B%95/2026?x=1')).toBe('shop.example.com › 活動');
    expect(displayLink('https://shop.example.com/')).toBe('shop.example.com');
  });

  it('in flex messages the redirect goes only into uri actions; visible texts show the destination', () => {
    const url = 'https://shop.example.com/anniversary?ref=line';
    const [flex] = rewriteLinks(
      [
        {
          type: 'flex',
          altText: `週年慶開跑 ${url}`,
          contents: {
            type: 'bubble',
            body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: `詳情：${url}` }] },
            footer: {
              type: 'box',
              layout: 'vertical',
              contents: [{ type: 'button', action: { type: 'uri', label: '去逛逛', uri: url } }],
            },
          },
        },
      ],
      [{ id: 'Ab3dE6gH9j', url }],
      'https://brand.example.com.tw',
      'M'.repeat(32),
    );
    const json = JSON.stringify(flex);
    expect(json).toContain('"uri":"https://brand.example.com.tw/r/Ab3dE6gH9j?m=' + 'M'.repeat(32) + '"');
    expect(json).toContain('"text":"詳情：shop.example.com › anniversary"');
    expect((flex as { altText: string }).altText).toBe('週年慶開跑 shop.example.com › anniversary');
    // The token appears once: in the action, never in anything the customer reads.
    expect(json.split('M'.repeat(32)).length - 1).toBe(1);
  });
});
