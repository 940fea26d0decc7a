import type { Links } from '../shared/links';
import type { LineRichMenu } from './richmenu-api';
import { type Bounds, layoutSize, tabCells, tileCells, type RichMenuLayout } from './richmenu-layout';
import type { Area, MenuAction, Tile } from './richmenu.schema';

/** A menu as the builder needs it (the stored document, lean). */
export interface MenuForBuild {
  id: string;
  name: string;
  chatBarText: string;
  layout: RichMenuLayout;
  tiles: Tile[];
  areas: Area[];
  tabs?: { labels: string[]; index: number; peerId?: string } | null;
  image?: { width: number; height: number } | null;
}

/** The alias LINE knows a menu by: stable per menu, ≤ 32 characters of [A-Za-z0-9_-]. */
export const aliasIdOf = (menuId: string): string => `hg-${menuId}`;

/** Postback data of a tab header / switch (the bot answers it silently). */
export const SWITCH_DATA_PREFIX = 'richmenu:switch:';

export function menuSize(m: MenuForBuild): { width: number; height: number } {
  if (m.layout === 'image') return { width: m.image?.width ?? 0, height: m.image?.height ?? 0 };
  return layoutSize(m.layout);
}

/** The LINE action of a tile or area action. */
export function lineAction(a: MenuAction, label: string, links: Pick<Links, 'card'>) {
  const l = label ? { label: label.slice(0, 20) } : {};
  switch (a.type) {
    case 'card':
      return { type: 'uri' as const, ...l, uri: links.card(a.page) };
    case 'keyword':
      return { type: 'message' as const, ...l, text: a.text };
    case 'uri':
      return { type: 'uri' as const, ...l, uri: a.uri };
    case 'postback':
      return {
        type: 'postback' as const,
        ...l,
        data: a.data,
        ...(a.displayText ? { displayText: a.displayText } : {}),
      };
    case 'switch':
      return {
        type: 'richmenuswitch' as const,
        ...l,
        richMenuAliasId: aliasIdOf(a.menuId),
        data: `${SWITCH_DATA_PREFIX}${a.menuId}`,
      };
  }
}

/** The areas of a menu: template cells (and tab headers) or the uploaded image's explicit areas. */
export function menuAreas(m: MenuForBuild, links: Pick<Links, 'card'>) {
  if (m.layout === 'image')
    return m.areas.map((a) => ({ bounds: a.bounds, action: lineAction(a.action, a.label, links) }));
  const cells: Bounds[] = tileCells(m.layout);
  const areas = m.tiles
    .slice(0, cells.length)
    .map((t, i) => ({ bounds: cells[i], action: lineAction(t.action, t.label, links) }));
  if (m.layout === 'tabs2' && m.tabs) {
    const heads = tabCells();
    const ids = m.tabs.index === 0 ? [m.id, m.tabs.peerId] : [m.tabs.peerId, m.id];
    heads.forEach((bounds, i) => {
      const target = ids[i];
      if (target)
        areas.unshift({ bounds, action: lineAction({ type: 'switch', menuId: target }, m.tabs!.labels[i], links) });
    });
  }
  return areas;
}

/** The rich menu object for LINE. `selected: true`: the menu opens when the chat opens. */
export function buildLineRichMenu(m: MenuForBuild, links: Pick<Links, 'card'>): LineRichMenu {
  return {
    size: menuSize(m),
    selected: true,
    name: m.name.slice(0, 300),
    chatBarText: m.chatBarText,
    areas: menuAreas(m, links) as LineRichMenu['areas'],
  };
}
