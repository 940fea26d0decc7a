/* Dev chat page logic: pick a user, talk to the bot through the emulator's control API, long-poll the inbox. */
(function () {
  'use strict';
  var CFG = window.__HUIGO_EMU__ || {};
  var BASE = String(CFG.emulatorBaseURL || '').replace(/\/$/, '');
  var R = window.HuigoRender;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = {
    users: [],
    userId: null,
    botCount: 0,
    conversation: [],
    menu: null,
    menuOverride: null,
    menuOpen: true,
    poll: null,
    pending: null,
    loading: false,
  };

  function api(method, path, body, signal) {
    return fetch(BASE + '/_emulator' + path, {
      method: method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: signal,
    }).then(
      function (r) {
        return r
          .json()
          .catch(function () {
            return null;
          })
          .then(function (j) {
            banner('');
            if (!r.ok) throw new Error((j && j.message) || 'HTTP ' + r.status);
            return j;
          });
      },
      function (err) {
        if (err && err.name === 'AbortError') throw err;
        banner('無法連線到 LINE 模擬器（' + BASE + '）');
        throw err;
      },
    );
  }
  function banner(text) {
    $('banner').textContent = text;
    $('banner').style.display = text ? 'block' : 'none';
  }
  function status(text) {
    $('status').textContent = text;
  }
  function report(r) {
    if (!r) return;
    status(r.webhookStatus ? 'webhook 回應 ' + r.webhookStatus : '⚠️ webhook 無法連線（請確認機器人服務已啟動）');
  }
  function fail(err) {
    if (err && err.name !== 'AbortError') status('錯誤：' + err.message);
  }

  function isLiff(uri) {
    return /^https:\/\/liff\.line\.me\//.test(String(uri || ''));
  }
  /** With liffUrl configured, liff.line.me links open the local LIFF app and carry the emulated user id. */
  function resolveUri(uri) {
    if (!CFG.liffUrl || !isLiff(uri)) return uri;
    var u = new URL(uri);
    var rest = u.pathname.split('/').slice(2).join('/');
    var target = new URL(CFG.liffUrl.replace(/\/$/, '') + (rest ? '/' + rest : '') + u.search);
    if (state.userId) target.searchParams.set('huigoEmuUserId', state.userId);
    return target.toString();
  }
  var ctx = { onAction: onAction, isLiff: isLiff, resolveUri: resolveUri };

  function currentUser() {
    return state.users.filter(function (u) {
      return u.userId === state.userId;
    })[0];
  }

  function renderUsers() {
    var ul = $('users');
    ul.innerHTML = '';
    state.users.forEach(function (u) {
      var li = document.createElement('li');
      if (u.userId === state.userId) li.className = 'sel';
      var name = document.createElement('span');
      name.textContent = u.displayName;
      var tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = u.status === 'following' ? '好友' : u.status === 'unfollowed' ? '已封鎖' : '未加入';
      li.appendChild(name);
      li.appendChild(tag);
      li.onclick = function () {
        selectUser(u.userId);
      };
      ul.appendChild(li);
    });
    var u = currentUser();
    $('who').textContent = u ? u.displayName : '請先選擇或新增使用者';
    var fb = $('followBtn');
    fb.style.display = u ? '' : 'none';
    if (u) {
      var following = u.status === 'following';
      fb.textContent = following ? '封鎖（取消好友）' : '加入好友';
      fb.className = following ? 'off' : '';
    }
  }

  function refreshUsers() {
    return api('GET', '/users').then(function (list) {
      state.users = list;
      renderUsers();
    }, fail);
  }

  function findLiffUrl() {
    var found = null;
    var scan = function (v) {
      if (!v || typeof v !== 'object') return;
      if (v.type === 'uri' && isLiff(v.uri)) found = v.uri;
      Object.keys(v).forEach(function (k) {
        scan(v[k]);
      });
    };
    state.conversation.forEach(function (e) {
      if (e.from === 'bot') scan(e.message);
    });
    if (state.menu) scan(state.menu.areas);
    return found || (CFG.liffUrl ? 'https://liff.line.me/local' : null);
  }

  function renderChat() {
    var chat = $('chat');
    chat.innerHTML = '';
    state.conversation.forEach(function (e) {
      var row = document.createElement('div');
      row.className = 'row ' + e.from;
      var time = document.createElement('span');
      time.className = 'time';
      time.textContent = new Date(e.at).toLocaleTimeString('zh-TW', { hour: '2-digit', minute: '2-digit' });
      var body = R.message(e.message || {}, ctx);
      if (e.from === 'user') {
        // 已讀 as the LINE app shows it once the account marked the message read (markAsRead).
        if (e.read) {
          var read = document.createElement('span');
          read.className = 'read';
          read.textContent = '已讀';
          row.appendChild(read);
        }
        row.appendChild(time);
        row.appendChild(body);
      } else {
        row.appendChild(body);
        var meta = document.createElement('span');
        meta.className = 'via';
        meta.textContent = e.via || '';
        row.appendChild(meta);
        row.appendChild(time);
      }
      chat.appendChild(row);
    });
    // The loading animation (POST /v2/bot/chat/loading/start) until it expires or the bot's next message.
    if (state.loading) {
      var typing = document.createElement('div');
      typing.className = 'row bot';
      typing.setAttribute('data-testid', 'loading');
      var dots = document.createElement('div');
      dots.className = 'bubble typing';
      dots.textContent = '…';
      typing.appendChild(dots);
      chat.appendChild(typing);
    }
    chat.scrollTop = chat.scrollHeight;
    renderQuickReplies();
    var liff = findLiffUrl();
    $('liffLink').style.display = liff ? '' : 'none';
    if (liff) $('liffLink').href = resolveUri(liff);
  }

  function renderQuickReplies() {
    var q = $('quick');
    q.innerHTML = '';
    var last = state.conversation[state.conversation.length - 1];
    if (!last || last.from !== 'bot' || !last.message.quickReply) return;
    (last.message.quickReply.items || []).forEach(function (item) {
      var chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      if (item.imageUrl) {
        var i = document.createElement('img');
        i.src = item.imageUrl;
        chip.appendChild(i);
      }
      chip.appendChild(document.createTextNode(R.actionLabel(item.action)));
      chip.onclick = function () {
        onAction(item.action);
      };
      q.appendChild(chip);
    });
  }

  function renderMenu() {
    var menu = state.menuOverride || state.menu;
    var box = $('menuImg'),
      toggle = $('menuToggle');
    box.innerHTML = '';
    toggle.style.display = menu ? 'block' : 'none';
    box.style.display = menu && state.menuOpen ? 'block' : 'none';
    if (!menu) return;
    toggle.textContent = (menu.chatBarText || '選單') + (state.menuOpen ? ' ▼' : ' ▲');
    box.className = menu.hasImage ? '' : 'noimg';
    if (menu.hasImage) {
      var img = document.createElement('img');
      img.src = BASE + '/_emulator/richmenus/' + menu.richMenuId + '/image';
      box.appendChild(img);
    } else box.style.aspectRatio = menu.size.width + ' / ' + menu.size.height;
    (menu.areas || []).forEach(function (a) {
      var d = document.createElement('div');
      d.className = 'area clickable';
      var b = a.bounds;
      d.style.left = (100 * b.x) / menu.size.width + '%';
      d.style.top = (100 * b.y) / menu.size.height + '%';
      d.style.width = (100 * b.width) / menu.size.width + '%';
      d.style.height = (100 * b.height) / menu.size.height + '%';
      d.textContent = menu.hasImage ? '' : R.actionLabel(a.action);
      d.title = R.actionLabel(a.action);
      d.onclick = function () {
        onAction(a.action);
      };
      box.appendChild(d);
    });
  }

  function refreshMenu() {
    if (!state.userId) return Promise.resolve();
    return api('GET', '/users/' + state.userId + '/richmenu').then(function (m) {
      if (JSON.stringify(m) !== JSON.stringify(state.menu)) {
        state.menu = m;
        state.menuOverride = null;
        renderMenu();
      }
    }, fail);
  }

  function refreshConversation() {
    if (!state.userId) return Promise.resolve();
    var id = state.userId;
    return Promise.all([api('GET', '/users/' + id + '/conversation'), api('GET', '/users/' + id + '/chat-state')]).then(
      function (r) {
        if (id !== state.userId) return;
        var c = r[0];
        state.loading = Boolean(r[1] && r[1].loading);
        state.conversation = c;
        state.botCount = c.filter(function (e) {
          return e.from === 'bot';
        }).length;
        renderChat();
      },
      fail,
    );
  }

  /**
   * Read marks and the loading animation change without a bot message: a light re-read every 2 s while the page
   * is visible shows them.
   */
  setInterval(function () {
    if (state.userId && !document.hidden) refreshConversation();
  }, 2000);

  /** Long-poll loop: wait for one more bot message than we have, then re-read the conversation. */
  function startPolling() {
    if (state.poll) state.poll.abort();
    var ctl = new AbortController();
    state.poll = ctl;
    var id = state.userId;
    (function loop() {
      if (ctl.signal.aborted) return;
      api('GET', '/users/' + id + '/messages?min=' + (state.botCount + 1) + '&timeoutMs=25000', null, ctl.signal)
        .then(function () {
          return refreshConversation();
        })
        .then(loop, function (err) {
          if (!ctl.signal.aborted) setTimeout(loop, err && err.name === 'AbortError' ? 0 : 2000);
        });
    })();
  }

  function selectUser(userId) {
    state.userId = userId;
    state.conversation = [];
    state.botCount = 0;
    state.menu = null;
    state.menuOverride = null;
    localStorage.setItem('huigoEmuUser', userId);
    renderUsers();
    renderChat();
    renderMenu();
    hidePicker();
    Promise.all([refreshConversation(), refreshMenu()]).then(startPolling);
  }

  function act(path, body) {
    if (!state.userId) {
      status('請先選擇使用者');
      return Promise.resolve();
    }
    return api('POST', '/users/' + state.userId + path, body || {}).then(function (r) {
      report(r);
      return Promise.all([refreshConversation(), refreshUsers(), refreshMenu()]);
    }, fail);
  }

  function onAction(a) {
    if (!a) return;
    switch (a.type) {
      case 'message':
        return act('/text', { text: a.text });
      case 'postback':
        return act('/postback', { data: a.data, displayText: a.displayText || a.text });
      case 'datetimepicker':
        return showPicker(a);
      case 'uri':
        return window.open(resolveUri(a.uri), '_blank', 'noopener');
      case 'location':
        return act('/location', {
          title: '台北101',
          address: '台北市信義區信義路五段7號',
          latitude: 25.033964,
          longitude: 121.564468,
        });
      case 'camera':
      case 'cameraRoll':
        return act('/image', {});
      case 'clipboard':
        return navigator.clipboard && navigator.clipboard.writeText(a.clipboardText || '');
      case 'richmenuswitch':
        return switchMenu(a);
      default:
        status('不支援的動作：' + a.type);
    }
  }

  function switchMenu(a) {
    return api('GET', '/richmenus').then(function (o) {
      var id = o.aliases[a.richMenuAliasId];
      var m = o.richMenus.filter(function (x) {
        return x.richMenuId === id;
      })[0];
      if (m) {
        state.menuOverride = m;
        renderMenu();
      }
      return act('/postback', {
        data: a.data,
        params: { newRichMenuAliasId: a.richMenuAliasId, status: m ? 'SUCCESS' : 'RICHMENU_ALIAS_ID_NOTFOUND' },
      });
    }, fail);
  }

  function showPicker(a) {
    var mode = a.mode || 'date';
    var input = $('pickerInput');
    input.type = mode === 'datetime' ? 'datetime-local' : mode;
    input.value = a.initial || '';
    input.min = a.min || '';
    input.max = a.max || '';
    $('pickerLabel').textContent = mode === 'time' ? '選擇時間' : mode === 'datetime' ? '選擇日期時間' : '選擇日期';
    $('picker').style.display = 'flex';
    state.pending = a;
  }
  function hidePicker() {
    $('picker').style.display = 'none';
    state.pending = null;
  }

  $('pickerOk').onclick = function () {
    var a = state.pending,
      v = $('pickerInput').value;
    if (!a || !v) return;
    var params = {};
    params[a.mode || 'date'] = v;
    hidePicker();
    act('/postback', { data: a.data, params: params });
  };
  $('pickerCancel').onclick = hidePicker;
  $('menuToggle').onclick = function () {
    state.menuOpen = !state.menuOpen;
    renderMenu();
  };
  $('followBtn').onclick = function () {
    var u = currentUser();
    if (u) act(u.status === 'following' ? '/unfollow' : '/follow');
  };
  $('bar').onsubmit = function (ev) {
    ev.preventDefault();
    var t = $('text').value;
    if (!t.trim()) return;
    $('text').value = '';
    act('/text', { text: t });
  };
  $('stickerBtn').onclick = function () {
    act('/sticker', {});
  };
  $('imageBtn').onclick = function () {
    act('/image', {});
  };
  $('locBtn').onclick = function () {
    onAction({ type: 'location' });
  };
  $('newUser').onsubmit = function (ev) {
    ev.preventDefault();
    var name = $('newName').value.trim();
    api('POST', '/users', name ? { displayName: name } : {}).then(function (u) {
      $('newName').value = '';
      return refreshUsers().then(function () {
        selectUser(u.userId);
      });
    }, fail);
  };

  $('hint').textContent = '模擬器：' + BASE + '。新使用者需先「加入好友」，機器人才收得到 follow 事件並能推播。';
  refreshUsers().then(function () {
    var saved = localStorage.getItem('huigoEmuUser');
    if (
      saved &&
      state.users.some(function (u) {
        return u.userId === saved;
      })
    )
      selectUser(saved);
  });
  setInterval(function () {
    refreshUsers();
    refreshMenu();
  }, 5000);
})();
