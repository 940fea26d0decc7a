import { useState } from 'preact/hooks';
import type {
  RichMenuActionWire,
  RichMenuLayoutWire,
  RichMenuRequest,
  RichMenuTileWire,
  RichMenuWire,
} from '../../../api/contracts/console';
import { api } from '../api/client';
import { t } from '../i18n';
import { Badge, Card, Empty, ErrorBanner, Field, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

const TILES: Record<RichMenuLayoutWire, number> = { '2x3': 6, '2x2': 4, '1x3': 3, tabs2: 6, image: 0 };
const tr = t.richmenus;

function blankTile(i: number): RichMenuTileWire {
  return i === 0
    ? { label: '會員卡', hint: '出示條碼累積點數', action: { type: 'card', page: '' } }
    : { label: `按鈕 ${i + 1}`, hint: '', action: { type: 'keyword', text: `按鈕 ${i + 1}` } };
}

function draft(m?: RichMenuWire): RichMenuRequest {
  if (!m)
    return {
      name: '新的圖文選單',
      chatBarText: '會員選單',
      layout: '2x3',
      tiles: Array.from({ length: 6 }, (_, i) => blankTile(i)),
      areas: [],
      rule: { kind: 'member', priority: 100 },
    };
  return {
    name: m.name,
    chatBarText: m.chatBarText,
    layout: m.layout,
    tiles: m.tiles,
    areas: m.areas,
    rule: m.rule,
    ...(m.tabs
      ? { tabs: { labels: [m.tabs.labels[0], m.tabs.labels[1]], index: m.tabs.index as 0 | 1, peerId: m.tabs.peerId } }
      : {}),
  };
}

function defaultAction(type: RichMenuActionWire['type'], menus: RichMenuWire[]): RichMenuActionWire {
  switch (type) {
    case 'card':
      return { type, page: '' };
    case 'keyword':
      return { type, text: '' };
    case 'uri':
      return { type, uri: 'https://' };
    case 'postback':
      return { type, data: '' };
    case 'switch':
      return { type, menuId: menus[0]?.id ?? '' };
  }
}

function ActionEditor(props: {
  action: RichMenuActionWire;
  menus: RichMenuWire[];
  onChange: (a: RichMenuActionWire) => void;
}) {
  const a = props.action;
  return (
    <>
      <Field label={tr.actionType}>
        <select
          value={a.type}
          onChange={(ev) => props.onChange(defaultAction(valueOf(ev) as RichMenuActionWire['type'], props.menus))}>
          {Object.entries(tr.actions).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      <Field label={tr.value}>
        {a.type === 'card' ? (
          <select
            value={a.page}
            onChange={(ev) => props.onChange({ type: 'card', page: valueOf(ev) as typeof a.page })}>
            {Object.entries(tr.cardPages).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        ) : a.type === 'switch' ? (
          <select value={a.menuId} onChange={(ev) => props.onChange({ type: 'switch', menuId: valueOf(ev) })}>
            {props.menus.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            value={a.type === 'keyword' ? a.text : a.type === 'uri' ? a.uri : a.data}
            onInput={(ev) => {
              const v = valueOf(ev);
              props.onChange(
                a.type === 'keyword'
                  ? { type: 'keyword', text: v }
                  : a.type === 'uri'
                    ? { type: 'uri', uri: v }
                    : { type: 'postback', data: v },
              );
            }}
          />
        )}
      </Field>
    </>
  );
}

function Editor(props: { menu?: RichMenuWire; menus: RichMenuWire[]; onSaved: (id?: string) => void }) {
  const [m, setM] = useState<RichMenuRequest>(draft(props.menu));
  const [note, setNote] = useState<string | null>(null);
  const saved = props.menu;
  const save = useAction(async () => {
    const res = saved ? await api.richmenus.update(saved.id, m) : await api.richmenus.create(m);
    setNote(null);
    props.onSaved(res.menu.id);
    return res.menu;
  });
  const publish = useAction(async () => {
    if (!saved) return;
    const res = await api.richmenus.publish(saved.id);
    setNote(tr.published(res.relinked));
    props.onSaved();
  });
  const check = useAction(async () => {
    if (!saved) return;
    await api.richmenus.validate(saved.id);
    setNote(tr.validated);
  });
  const upload = useAction(async (file: File) => {
    if (!saved) return;
    await api.richmenus.uploadImage(saved.id, file);
    props.onSaved();
  });
  const e = save.error?.fields ?? {};
  const setLayout = (layout: RichMenuLayoutWire) =>
    setM({
      ...m,
      layout,
      tiles: Array.from({ length: TILES[layout] }, (_, i) => m.tiles[i] ?? blankTile(i)),
      areas: layout === 'image' ? m.areas : [],
      ...(layout === 'tabs2'
        ? { tabs: m.tabs ?? { labels: ['會員專區', '最新活動'], index: 0 } }
        : { tabs: undefined }),
    });
  const others = props.menus.filter((x) => x.id !== saved?.id);
  return (
    <Card title={saved ? saved.name : tr.add} testId="richmenu-editor">
      <ErrorBanner error={save.error ?? publish.error ?? check.error ?? upload.error} />
      {note && <Notice kind="ok">{note}</Notice>}
      <div class="grid grid-2">
        <Field label={tr.name} error={e.name}>
          <input value={m.name} onInput={(ev) => setM({ ...m, name: valueOf(ev) })} />
        </Field>
        <Field label={tr.chatBarText} error={e.chatBarText}>
          <input value={m.chatBarText} maxLength={14} onInput={(ev) => setM({ ...m, chatBarText: valueOf(ev) })} />
        </Field>
        <Field label={tr.layout} error={e.layout}>
          <select value={m.layout} onChange={(ev) => setLayout(valueOf(ev) as RichMenuLayoutWire)}>
            {Object.entries(tr.layouts).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label={tr.rule} error={e['rule.kind']}>
          <select
            value={m.rule.kind}
            onChange={(ev) =>
              setM({ ...m, rule: { ...m.rule, kind: valueOf(ev) as RichMenuRequest['rule']['kind'] } })
            }>
            {Object.entries(tr.rules).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        {(m.rule.kind === 'tier' || m.rule.kind === 'segment' || m.rule.kind === 'tag') && (
          <Field label={tr.ruleValue} error={e['rule.value']}>
            <input
              value={m.rule.value ?? ''}
              onInput={(ev) => setM({ ...m, rule: { ...m.rule, value: valueOf(ev) } })}
            />
          </Field>
        )}
        <Field label={tr.priority} error={e['rule.priority']}>
          <input
            type="number"
            min={0}
            value={m.rule.priority}
            onInput={(ev) => setM({ ...m, rule: { ...m.rule, priority: Number(valueOf(ev)) } })}
          />
        </Field>
        <Field label={tr.from} error={e['rule.from']}>
          <input
            type="date"
            value={m.rule.from?.slice(0, 10) ?? ''}
            onInput={(ev) => setM({ ...m, rule: { ...m.rule, from: valueOf(ev) || undefined } })}
          />
        </Field>
        <Field label={tr.to} error={e['rule.to']}>
          <input
            type="date"
            value={m.rule.to?.slice(0, 10) ?? ''}
            onInput={(ev) => setM({ ...m, rule: { ...m.rule, to: valueOf(ev) || undefined } })}
          />
        </Field>
      </div>
      {m.layout === 'tabs2' && m.tabs && (
        <div class="grid grid-2">
          {[0, 1].map((i) => (
            <Field key={i} label={`${tr.tabLabels} ${i + 1}`}>
              <input
                value={m.tabs!.labels[i]}
                onInput={(ev) => {
                  const labels: [string, string] = [...m.tabs!.labels];
                  labels[i] = valueOf(ev);
                  setM({ ...m, tabs: { ...m.tabs!, labels } });
                }}
              />
            </Field>
          ))}
          <Field label={tr.tabIndex}>
            <select
              value={m.tabs.index}
              onChange={(ev) => setM({ ...m, tabs: { ...m.tabs!, index: Number(valueOf(ev)) as 0 | 1 } })}>
              <option value={0}>{m.tabs.labels[0]}</option>
              <option value={1}>{m.tabs.labels[1]}</option>
            </select>
          </Field>
          <Field label={tr.tabPeer}>
            <select
              value={m.tabs.peerId ?? ''}
              onChange={(ev) => setM({ ...m, tabs: { ...m.tabs!, peerId: valueOf(ev) || undefined } })}>
              <option value="">{t.common.none}</option>
              {others.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      {m.layout === 'image' ? (
        <>
          <Field label={tr.areas} error={e.areas}>
            <textarea
              rows={6}
              value={JSON.stringify(m.areas, null, 2)}
              onInput={(ev) => {
                try {
                  setM({ ...m, areas: JSON.parse(valueOf(ev)) });
                } catch {
                  /* keep typing */
                }
              }}
            />
          </Field>
          {saved && (
            <Field label={tr.image} hint={tr.imageHint}>
              <input
                type="file"
                accept="image/png,image/jpeg"
                onChange={(ev) => ev.currentTarget.files?.[0] && void upload.run(ev.currentTarget.files[0])}
              />
            </Field>
          )}
        </>
      ) : (
        <div class="grid grid-3">
          {m.tiles.map((tile, i) => (
            <fieldset key={i} class="richmenu-tile">
              <legend>{tr.tile(i + 1)}</legend>
              <Field label={tr.label} error={e[`tiles.${i}.label`]}>
                <input
                  value={tile.label}
                  onInput={(ev) =>
                    setM({ ...m, tiles: m.tiles.map((x, j) => (j === i ? { ...x, label: valueOf(ev) } : x)) })
                  }
                />
              </Field>
              <Field label={tr.hint}>
                <input
                  value={tile.hint}
                  onInput={(ev) =>
                    setM({ ...m, tiles: m.tiles.map((x, j) => (j === i ? { ...x, hint: valueOf(ev) } : x)) })
                  }
                />
              </Field>
              <ActionEditor
                action={tile.action}
                menus={others}
                onChange={(action) => setM({ ...m, tiles: m.tiles.map((x, j) => (j === i ? { ...x, action } : x)) })}
              />
            </fieldset>
          ))}
        </div>
      )}
      {saved && (saved.layout !== 'image' || saved.hasImage) && (
        <figure class="richmenu-preview">
          <img
            src={api.richmenus.imageUrl(saved.id, saved.updatedAt ?? '')}
            alt={tr.preview}
            style={{ width: '100%', maxWidth: '500px' }}
          />
          <figcaption>{tr.preview}</figcaption>
        </figure>
      )}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={save.busy} onClick={() => void save.run()}>
          {tr.save}
        </button>
        {saved && (
          <>
            <button type="button" class="btn" disabled={check.busy} onClick={() => void check.run()}>
              {tr.validate}
            </button>
            <button type="button" class="btn btn-primary" disabled={publish.busy} onClick={() => void publish.run()}>
              {tr.publish}
            </button>
          </>
        )}
      </div>
    </Card>
  );
}

/** 圖文選單: menus per member state, their layouts and actions, LINE's checks and publishing. */
export default function RichMenusPage() {
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.richmenus.list(), [version]);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const remove = useAction(async (id: string) => {
    if (!confirm(tr.confirmRemove)) return;
    await api.richmenus.remove(id);
    setEditing(null);
    setVersion((v) => v + 1);
  });
  if (!list.data) return list.error ? <ErrorBanner error={list.error} /> : <Spinner />;
  const menus = list.data.menus;
  const current = editing && editing !== 'new' ? menus.find((x) => x.id === editing) : undefined;
  return (
    <>
      <PageHeader title={tr.title}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          {tr.add}
        </button>
      </PageHeader>
      <Notice kind="info">{tr.intro}</Notice>
      <ErrorBanner error={remove.error} />
      <Card>
        {menus.length === 0 ? (
          <Empty>{tr.empty}</Empty>
        ) : (
          <table class="table">
            <tbody>
              {menus.map((x) => (
                <tr key={x.id}>
                  <td>{x.rule.priority}</td>
                  <td>
                    <button type="button" class="link" onClick={() => setEditing(x.id)}>
                      {x.name}
                    </button>
                  </td>
                  <td>{tr.layouts[x.layout]}</td>
                  <td>
                    {tr.rules[x.rule.kind]}
                    {x.rule.value ? `：${x.rule.value}` : ''}
                  </td>
                  <td>
                    {!x.lineRichMenuId ? (
                      <Badge>{tr.unpublished}</Badge>
                    ) : x.dirty ? (
                      <Badge tone="amber">{tr.dirty}</Badge>
                    ) : (
                      <Badge tone="green">{tr.live}</Badge>
                    )}
                  </td>
                  <td>
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => void remove.run(x.id)}>
                      {tr.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {editing && (
        <Editor
          key={`${editing}-${version}`}
          menu={current}
          menus={menus}
          onSaved={(id) => {
            if (id) setEditing(id);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}
