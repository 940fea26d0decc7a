import { checkAction } from './action-rules';
import {
  checkBoolean,
  checkKnownKeys,
  checkText,
  graphemeLength,
  IssueList,
  isObj,
  type LineRuleIssue,
  type RulePath,
  ruleText,
} from './rule-basics';

/**
 * LINE's rules for a rich menu object (Messaging API reference, "Rich menu object"): size 800..2500 wide, ≥ 250
 * high, width/height ≥ 1.45; `selected`; `name` ≤ 300; `chatBarText` ≤ 14; 1..20 areas whose bounds lie inside
 * the menu; each area's action as in "Action objects" (richmenuswitch allowed here only).
 */
export function checkLineRichMenu(menu: unknown, path: RulePath = []): LineRuleIssue[] {
  const out = new IssueList();
  if (!isObj(menu)) return [{ path, message: ruleText.notObject }];
  checkKnownKeys(out, menu, path, ['size', 'selected', 'name', 'chatBarText', 'areas']);
  const size = menu.size;
  let w = 0;
  let h = 0;
  if (!isObj(size) || typeof size.width !== 'number' || typeof size.height !== 'number') {
    out.add([...path, 'size'], ruleText.badSize);
  } else {
    ({ width: w, height: h } = size as { width: number; height: number });
    if (w < 800 || w > 2500 || h < 250 || w / h < 1.45) out.add([...path, 'size'], ruleText.richMenuSize);
  }
  checkBoolean(out, menu, 'selected', path);
  checkText(out, menu, 'name', path, 300);
  if (typeof menu.chatBarText !== 'string' || !menu.chatBarText.trim() || graphemeLength(menu.chatBarText) > 14)
    out.add([...path, 'chatBarText'], ruleText.chatBarText);
  const areas = menu.areas;
  if (!Array.isArray(areas) || areas.length < 1 || areas.length > 20) {
    out.add([...path, 'areas'], ruleText.richMenuAreas);
    return out.issues;
  }
  areas.forEach((a: unknown, i) => {
    const p = [...path, 'areas', i];
    if (!isObj(a)) return out.add(p, ruleText.notObject);
    checkKnownKeys(out, a, p, ['bounds', 'action']);
    const b = a.bounds;
    const nums = isObj(b) && ['x', 'y', 'width', 'height'].every((k) => Number.isInteger(b[k]) && Number(b[k]) >= 0);
    if (!nums) out.add([...p, 'bounds'], ruleText.badSize);
    else if (w && h) {
      const bb = b as { x: number; y: number; width: number; height: number };
      if (bb.width < 1 || bb.height < 1 || bb.x + bb.width > w || bb.y + bb.height > h)
        out.add([...p, 'bounds'], ruleText.areaOutside);
    }
    checkAction(out, a.action, [...p, 'action'], 'richMenu');
  });
  return out.issues;
}
