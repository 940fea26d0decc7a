import type { MemberDataDocument } from '../../domain/members/member-data-export.service';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/**
 * The member's data as a page of its own: readable in LINE's in-app browser, printable (print styles, a 列印 button),
 * with the JSON one tap away. Self-contained: its only script and style carry the response's CSP nonce.
 */
export function renderMemberDataPage(doc: MemberDataDocument, jsonHref: string, nonce: string): string {
  const sections = doc.sections
    .map((s) => {
      const fields = s.fields
        ? `<dl>${s.fields.map((f) => `<dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd>`).join('')}</dl>`
        : '';
      const table = s.table
        ? `<div class="scroll"><table><thead><tr>${s.table.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>${s.table.rows
            .map(
              (r) =>
                `<tr>${r.map((v, i) => `<td data-label="${esc(s.table!.columns[i])}">${esc(v)}</td>`).join('')}</tr>`,
            )
            .join('')}</tbody></table></div>`
        : '';
      const note = s.note ? `<p class="note">${esc(s.note)}</p>` : '';
      return `<section><h2>${esc(s.title)}</h2>${fields}${table}${note}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(doc.title)}</title>
<style nonce="${nonce}">
body{font-family:-apple-system,"PingFang TC","Noto Sans TC","Microsoft JhengHei",sans-serif;margin:0;padding:16px;color:#1f2937;line-height:1.6;max-width:960px;margin:auto}
h1{font-size:1.4rem;margin:0 0 4px}h2{font-size:1.1rem;border-bottom:2px solid #0f766e;padding-bottom:4px;margin-top:28px}
.meta,.note{color:#6b7280;font-size:.9rem}.actions{display:flex;gap:8px;flex-wrap:wrap;margin:16px 0}
.actions a,.actions button{font:inherit;padding:10px 16px;border-radius:8px;border:1px solid #0f766e;background:#fff;color:#0f766e;text-decoration:none}
.actions button{background:#0f766e;color:#fff}
dl{display:grid;grid-template-columns:9em 1fr;gap:6px 12px;margin:0}dt{color:#6b7280}dd{margin:0;word-break:break-all}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6;white-space:nowrap}
@media print{.actions{display:none}body{padding:0}h2{break-after:avoid}tr{break-inside:avoid}}
</style>
</head>
<body>
<h1>${esc(doc.title)}</h1>
<p class="meta">匯出時間：${esc(doc.exportedAt)}（台灣時間）</p>
<p>${esc(doc.intro)}</p>
<div class="actions"><button type="button" id="print" data-testid="print-data">列印或存成 PDF</button><a href="${esc(jsonHref)}" data-testid="json-data">下載 JSON 檔（給程式讀取）</a></div>
${sections}
<p class="note">這個頁面的連結幾分鐘後就會失效，請勿轉傳。</p>
<script nonce="${nonce}">document.getElementById('print').addEventListener('click',function(){window.print()});</script>
</body>
</html>`;
}

/** The page shown for a link that is forged, expired or of an erased member. */
export function renderLinkProblemPage(message: string): string {
  return `<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>連結已失效</title></head><body><p>${esc(message)}</p></body></html>`;
}
