/* Renders LINE message objects (text, sticker, image, template, flex …) as DOM, close enough to read. */
(function () {
  'use strict';
  var SIZES = { xxs: 10, xs: 11, sm: 13, md: 14, lg: 16, xl: 18, xxl: 20, '3xl': 24, '4xl': 28, '5xl': 32 };
  var SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
  var IMG_SIZES = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, '3xl': 180, '4xl': 200, '5xl': 220 };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  function px(v, table) {
    if (v == null) return null;
    if (table && table[v] != null) return table[v] + 'px';
    return /^\d+(\.\d+)?$/.test(String(v)) ? v + 'px' : String(v);
  }
  function actionLabel(a) {
    return (a && (a.label || a.displayText || a.text || a.uri || a.data)) || '（動作）';
  }

  /** An action becomes a link for uri actions (LIFF links get the 開啟會員卡 hint), a button otherwise. */
  function actionEl(action, cls, ctx, label) {
    var text = label != null ? label : actionLabel(action);
    if (action && action.type === 'uri') {
      var a = el('a', cls, text);
      a.href = ctx.resolveUri(action.uri);
      a.target = '_blank';
      a.rel = 'noopener';
      if (ctx.isLiff(action.uri)) a.appendChild(el('span', 'liff', '（開啟會員卡）'));
      return a;
    }
    var b = el('button', cls, text);
    b.type = 'button';
    b.onclick = function () {
      ctx.onAction(action);
    };
    return b;
  }
  function makeClickable(node, action, ctx) {
    if (!action) return;
    node.classList.add('clickable');
    node.title = actionLabel(action);
    node.onclick = function (ev) {
      ev.stopPropagation();
      if (action.type === 'uri') window.open(ctx.resolveUri(action.uri), '_blank', 'noopener');
      else ctx.onAction(action);
    };
  }

  function flexComponent(c, ctx, parentLayout) {
    var node;
    switch (c.type) {
      case 'box':
        node = flexBox(c, ctx);
        break;
      case 'text': {
        node = el('div', 'fx-text');
        if (Array.isArray(c.contents) && c.contents.length) {
          c.contents.forEach(function (s) {
            var span = el('span', null, s.text);
            if (s.color) span.style.color = s.color;
            if (s.weight === 'bold') span.style.fontWeight = '700';
            if (s.size) span.style.fontSize = px(s.size, SIZES);
            if (s.decoration === 'line-through') span.style.textDecoration = 'line-through';
            node.appendChild(span);
          });
        } else node.textContent = c.text == null ? '' : c.text;
        node.style.fontSize = px(c.size || 'md', SIZES);
        if (c.weight === 'bold') node.style.fontWeight = '700';
        if (c.color) node.style.color = c.color;
        if (c.align) node.style.textAlign = c.align === 'start' ? 'left' : c.align === 'end' ? 'right' : 'center';
        if (c.style === 'italic') node.style.fontStyle = 'italic';
        if (c.decoration) node.style.textDecoration = c.decoration;
        node.style.whiteSpace = c.wrap ? 'pre-wrap' : 'nowrap';
        if (!c.wrap) {
          node.style.overflow = 'hidden';
          node.style.textOverflow = 'ellipsis';
        }
        break;
      }
      case 'image': {
        node = el('img');
        node.src = c.url;
        node.alt = '';
        node.style.objectFit = c.aspectMode === 'cover' ? 'cover' : 'contain';
        var ar = String(c.aspectRatio || '1:1').split(':');
        node.style.aspectRatio = ar[0] + ' / ' + (ar[1] || 1);
        node.style.width = c.size === 'full' ? '100%' : px(c.size || 'md', IMG_SIZES);
        node.style.maxWidth = '100%';
        if (c.backgroundColor) node.style.backgroundColor = c.backgroundColor;
        node.style.alignSelf = c.align === 'start' ? 'flex-start' : c.align === 'end' ? 'flex-end' : 'center';
        break;
      }
      case 'video':
        node = el('img');
        node.src = c.previewUrl;
        node.style.width = '100%';
        break;
      case 'icon':
        node = el('img');
        node.src = c.url;
        node.style.width = px(c.size || 'md', SIZES);
        break;
      case 'button': {
        node = actionEl(c.action, 'fx-btn ' + (c.style || 'link'), ctx);
        if (c.color) {
          if (c.style === 'link' || !c.style) node.style.color = c.color;
          else node.style.background = c.color;
        }
        if (c.height === 'sm') node.style.padding = '4px';
        break;
      }
      case 'separator':
        node = el('hr', 'fx-sep');
        if (c.color) node.style.borderTopColor = c.color;
        break;
      case 'spacer':
        node = el('div');
        node.style.minHeight = px(c.size || 'md', SPACING);
        break;
      case 'filler':
        node = el('div');
        node.style.flex = String(c.flex == null ? 1 : c.flex);
        return node;
      case 'span':
        node = el('span', null, c.text);
        break;
      default:
        node = el('div', null, '[' + c.type + ']');
    }
    var horizontal = parentLayout === 'horizontal' || parentLayout === 'baseline';
    if (c.flex != null) node.style.flex = c.flex + ' 1 0';
    else if (horizontal && c.type !== 'separator') node.style.flex = '1 1 0';
    if (c.margin) node.style[horizontal ? 'marginLeft' : 'marginTop'] = px(c.margin, SPACING);
    if (c.gravity === 'center') node.style.alignSelf = 'center';
    if (c.type !== 'button') makeClickable(node, c.action, ctx);
    return node;
  }

  function flexBox(b, ctx) {
    var node = el('div', 'fx-box');
    var layout = b.layout || 'vertical';
    node.style.flexDirection = layout === 'vertical' ? 'column' : 'row';
    if (layout === 'baseline') node.style.alignItems = 'baseline';
    if (b.spacing) node.style.gap = px(b.spacing, SPACING);
    ['paddingAll', 'paddingTop', 'paddingBottom', 'paddingStart', 'paddingEnd'].forEach(function (k) {
      if (b[k] == null) return;
      var css = {
        paddingAll: 'padding',
        paddingTop: 'paddingTop',
        paddingBottom: 'paddingBottom',
        paddingStart: 'paddingLeft',
        paddingEnd: 'paddingRight',
      }[k];
      node.style[css] = px(b[k], SPACING);
    });
    if (b.backgroundColor) node.style.backgroundColor = b.backgroundColor;
    if (b.cornerRadius) node.style.borderRadius = px(b.cornerRadius, SPACING);
    if (b.borderWidth)
      node.style.border =
        px(b.borderWidth, { light: 1, normal: 1, medium: 2, 'semi-bold': 3, bold: 4 }) +
        ' solid ' +
        (b.borderColor || '#ccc');
    if (b.width) node.style.width = px(b.width);
    if (b.height) node.style.height = px(b.height);
    if (b.justifyContent) node.style.justifyContent = b.justifyContent;
    if (b.alignItems) node.style.alignItems = b.alignItems;
    (b.contents || []).forEach(function (c) {
      node.appendChild(flexComponent(c, ctx, layout));
    });
    return node;
  }

  function flexBubble(bubble, ctx) {
    var node = el('div', 'fx-bubble ' + (bubble.size || 'mega'));
    var styles = bubble.styles || {};
    ['header', 'hero', 'body', 'footer'].forEach(function (name) {
      var part = bubble[name];
      if (!part) return;
      var sec = el('div', 'fx-sec ' + name);
      if (styles[name] && styles[name].backgroundColor) sec.style.backgroundColor = styles[name].backgroundColor;
      if (styles[name] && styles[name].separator)
        sec.style.borderTop = '1px solid ' + (styles[name].separatorColor || '#ddd');
      var inner = flexComponent(part, ctx, 'vertical');
      if (part.type === 'image') inner.style.width = '100%';
      sec.appendChild(inner);
      node.appendChild(sec);
    });
    makeClickable(node, bubble.action, ctx);
    return node;
  }

  function templateCard(t, ctx) {
    var card = el('div', 'card');
    if (t.thumbnailImageUrl) {
      var img = el('img');
      img.src = t.thumbnailImageUrl;
      img.style.width = '100%';
      card.appendChild(img);
    }
    var body = el('div', 'c-body');
    if (t.title) body.appendChild(el('div', 'c-title', t.title));
    if (t.text) body.appendChild(el('div', null, t.text));
    card.appendChild(body);
    var acts = el('div', 'acts');
    (t.actions || []).forEach(function (a) {
      acts.appendChild(actionEl(a, '', ctx));
    });
    card.appendChild(acts);
    makeClickable(card, t.defaultAction, ctx);
    return card;
  }

  function template(t, ctx) {
    if (t.type === 'buttons' || t.type === 'confirm') return templateCard(t, ctx);
    var wrap = el('div', 'carousel');
    (t.columns || []).forEach(function (col) {
      if (t.type === 'image_carousel') {
        var card = el('div', 'card');
        var img = el('img');
        img.src = col.imageUrl;
        img.style.width = '100%';
        card.appendChild(img);
        var acts = el('div', 'acts');
        acts.appendChild(actionEl(col.action, '', ctx));
        card.appendChild(acts);
        wrap.appendChild(card);
      } else wrap.appendChild(templateCard(col, ctx));
    });
    return wrap;
  }

  function message(m, ctx) {
    switch (m.type) {
      case 'text':
      case 'textV2':
        return el('div', 'bubble', m.text);
      case 'sticker': {
        var s = el('div', 'sticker', '🧸');
        s.appendChild(el('small', null, '貼圖 ' + m.packageId + '/' + m.stickerId));
        return s;
      }
      case 'image': {
        if (!m.previewImageUrl && !m.originalContentUrl) return el('div', 'bubble', '🖼️ 圖片');
        var a = el('a');
        a.href = m.originalContentUrl || m.previewImageUrl;
        a.target = '_blank';
        var img = el('img', 'img');
        img.src = m.previewImageUrl || m.originalContentUrl;
        img.alt = '圖片';
        a.appendChild(img);
        return a;
      }
      case 'video':
        return actionEl({ type: 'uri', uri: m.originalContentUrl }, 'bubble', ctx, '🎬 影片');
      case 'audio':
        return actionEl({ type: 'uri', uri: m.originalContentUrl }, 'bubble', ctx, '🔊 語音訊息');
      case 'location':
        return el(
          'div',
          'bubble',
          '📍 ' + (m.title || '位置') + '\n' + (m.address || '') + '\n(' + m.latitude + ', ' + m.longitude + ')',
        );
      case 'imagemap': {
        var card = el('div', 'card');
        var im = el('img');
        im.src = m.baseUrl + '/1040';
        im.alt = m.altText;
        im.style.width = '100%';
        card.appendChild(im);
        var acts = el('div', 'acts');
        (m.actions || []).forEach(function (a) {
          var act =
            a.type === 'uri'
              ? { type: 'uri', uri: a.linkUri, label: a.label }
              : { type: a.type, text: a.text, label: a.label, data: a.data };
          acts.appendChild(actionEl(act, '', ctx));
        });
        card.appendChild(acts);
        return card;
      }
      case 'template':
        return template(m.template || {}, ctx);
      case 'flex': {
        var c = m.contents || {};
        if (c.type === 'carousel') {
          var wrap = el('div', 'carousel');
          (c.contents || []).forEach(function (b) {
            wrap.appendChild(flexBubble(b, ctx));
          });
          return wrap;
        }
        return flexBubble(c, ctx);
      }
      default:
        return el('div', 'bubble', '[' + m.type + '] ' + JSON.stringify(m).slice(0, 200));
    }
  }

  window.HuigoRender = { message: message, actionLabel: actionLabel };
})();
