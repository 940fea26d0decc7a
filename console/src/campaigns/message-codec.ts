import type { CampaignMessage } from '../../../api/contracts/console';
import type { BrandColors } from '../../../shared/color';
import { buildFlexMessage, readFlexTemplate, type FlexFields, type FlexTemplateKind } from './flex-templates';

/** One message as the form edits it; `toLineMessage` turns it into what the campaign stores. */
export type EditorMessage =
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string; previewUrl: string }
  | {
      kind: 'flex';
      template: FlexTemplateKind;
      fields: FlexFields;
      altText: string;
      /** The brand colours the card is built with (the brand's when added, the saved card's when reopened). */
      colors?: BrandColors;
    }
  | { kind: 'json'; json: string };

/** Invalid JSON still goes to the server, whose field errors then say what is missing. */
const UNPARSABLE_JSON = '{"type":"flex","altText":"","contents":null}';

export function toLineMessage(m: EditorMessage): CampaignMessage {
  switch (m.kind) {
    case 'text':
      return { type: 'text', text: m.text };
    case 'image':
      return { type: 'image', originalContentUrl: m.url, previewImageUrl: m.previewUrl || m.url };
    case 'flex':
      return buildFlexMessage(m.template, m.fields, m.altText, m.colors);
    default:
      // What the marketer typed is checked by the server's schema (JSON.parse is typed `any`), not here.
      try {
        return JSON.parse(m.json);
      } catch {
        return JSON.parse(UNPARSABLE_JSON);
      }
  }
}

export function fromLineMessage(m: CampaignMessage): EditorMessage {
  if (m.type === 'text') return { kind: 'text', text: String(m.text ?? '') };
  if (m.type === 'image')
    return {
      kind: 'image',
      url: String(m.originalContentUrl ?? ''),
      previewUrl: m.previewImageUrl === m.originalContentUrl ? '' : String(m.previewImageUrl ?? ''),
    };
  const tpl = m.type === 'flex' ? readFlexTemplate(m.contents) : null;
  if (tpl)
    return {
      kind: 'flex',
      template: tpl.kind,
      fields: tpl.fields,
      altText: String(m.altText ?? ''),
      colors: tpl.colors,
    };
  return { kind: 'json', json: JSON.stringify(m, null, 2) };
}
