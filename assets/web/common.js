// Shared helpers of the cyberttx web pages: the token from the link, calls to
// the JSON API, the live connection (server-sent events), safe DOM building,
// number formatting and the pieces both the team page and the facilitator's
// console show (header, public results of each turn).
//
// Everything that comes from the API is put into the page as text
// (textContent, or escape() for the rare string of markup): never as HTML.
'use strict';

(function (global) {
  const TTX = {};

  // ---------------------------------------------------------------------
  // The token: the link is /team#token=T or /facilitator#token=T.

  /** The token after `#token=` in the address, or an empty string. */
  TTX.token = function token() {
    const hash = (global.location && global.location.hash) || '';
    const params = new URLSearchParams(hash.replace(/^#/, ''));
    return (params.get('token') || '').trim();
  };

  // ---------------------------------------------------------------------
  // Escaping and DOM building.

  const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

  /** `s` with the five HTML special characters escaped. */
  TTX.escape = function escape(s) {
    return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  };

  /**
   * An element: h('p', {class: 'x', testid: 't'}, 'text', child, ...).
   * Strings become text nodes; null, undefined and false are skipped;
   * arrays are flattened. Properties: class, id, text, testid, title, for,
   * data (an object of data-* attributes), attrs (other attributes),
   * on (an object of event listeners), and any DOM property (value,
   * checked, disabled, type, hidden, ...).
   */
  TTX.h = function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null) continue;
        if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'testid') el.setAttribute('data-testid', v);
        else if (k === 'for') el.htmlFor = v;
        else if (k === 'data') for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
        else if (k === 'attrs') for (const [ak, av] of Object.entries(v)) el.setAttribute(ak, String(av));
        else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
        else if (k === 'style') el.setAttribute('style', v);
        else el[k] = v;
      }
    }
    TTX.append(el, children);
    return el;
  };

  /** Appends children (strings as text) to `el`. */
  TTX.append = function append(el, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) TTX.append(el, c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
    return el;
  };

  /** Replaces the children of `el` (or of the element with id `el`). */
  TTX.fill = function fill(el, ...children) {
    const node = typeof el === 'string' ? document.getElementById(el) : el;
    if (!node) return null;
    node.replaceChildren();
    TTX.append(node, children);
    return node;
  };

  /** Sets the text of the element with id `id`, if it exists. */
  TTX.setText = function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text === null || text === undefined ? '' : String(text);
    return el;
  };

  // <details> that remember whether they are open across re-renders.
  const detailsOpen = new Map();

  /**
   * A <details> element with `summary` (a string or a node) that keeps its
   * open or closed state under `key` when the page is drawn again.
   */
  TTX.details = function details(key, summary, openByDefault, ...children) {
    const open = detailsOpen.has(key) ? detailsOpen.get(key) : Boolean(openByDefault);
    const el = TTX.h('details', { data: { key }, open }, TTX.h('summary', null, summary), ...children);
    el.addEventListener('toggle', () => detailsOpen.set(key, el.open));
    return el;
  };

  /** A table: headers (strings) and rows (arrays of cells, strings or nodes). */
  TTX.table = function table(headers, rows, props) {
    const head = TTX.h('thead', null, TTX.h('tr', null, headers.map((x) => TTX.h('th', { scope: 'col' }, x))));
    const body = TTX.h('tbody', null, rows);
    return TTX.h('div', { class: 'table-wrap' }, TTX.h('table', props || null, head, body));
  };

  /** A table row from cells (strings or nodes, or {cell, class} objects). */
  TTX.row = function row(cells, props) {
    return TTX.h(
      'tr',
      props || null,
      cells.map((c) =>
        c && typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c)
          ? TTX.h('td', { class: c.class, testid: c.testid }, c.cell)
          : TTX.h('td', null, c),
      ),
    );
  };

  // ---------------------------------------------------------------------
  // Formatting.

  const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  /** A whole number with thousands separators: 12,400. */
  TTX.fmtInt = function fmtInt(n) {
    const x = Number(n);
    return Number.isFinite(x) ? INT.format(Math.round(x)) : '—';
  };

  /** A share 0..1 as a percentage: 0.853 → "85%". */
  TTX.fmtPct = function fmtPct(x) {
    const v = Number(x);
    return Number.isFinite(v) ? `${Math.round(v * 100)}%` : '—';
  };

  /** A signed change: +3, −2, ±0 (with a real minus sign). */
  TTX.fmtSigned = function fmtSigned(n) {
    const v = Math.round(Number(n) || 0);
    if (v > 0) return `+${INT.format(v)}`;
    if (v < 0) return `−${INT.format(-v)}`;
    return '±0';
  };

  /** "1 point", "2 points". */
  TTX.plural = function plural(n, one, many) {
    return `${n} ${Number(n) === 1 ? one : many || `${one}s`}`;
  };

  const SPECIAL = {
    Ddos: 'DDoS',
    Cert: 'CERT',
    NoTarget: 'no target',
    NormAbiding: 'Norm-abiding',
    InternetCore: 'Internet core',
    Digital: 'Digital services',
  };

  /** An enum name as words: "SupplyChain" → "Supply chain". */
  TTX.humanize = function humanize(s) {
    if (s === null || s === undefined) return '';
    const str = String(s);
    if (SPECIAL[str]) return SPECIAL[str];
    const words = str.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
  };

  /** What a bot policy does, in words. */
  TTX.policyText = function policyText(p) {
    switch (p) {
      case 'Passive':
        return 'Passive bot (does nothing)';
      case 'NormAbiding':
        return 'Norm-abiding bot';
      case 'Aggressive':
        return 'Aggressive bot';
      case 'Random':
        return 'Random bot';
      case null:
      case undefined:
      case '':
        return '—';
      default:
        return `${TTX.humanize(p)} bot`;
    }
  };

  // ---------------------------------------------------------------------
  // Names and statuses.

  /**
   * The display name of an actor, asset or incident id, from the state's
   * `names` (a flat map, or one map per kind), or the id itself.
   */
  TTX.name = function name(state, id) {
    if (id === null || id === undefined || id === '') return '';
    const names = (state && state.names) || {};
    const flat = names[id];
    if (typeof flat === 'string' && flat) return flat;
    for (const group of ['actors', 'assets', 'incidents', 'injects']) {
      const g = names[group];
      if (g && typeof g === 'object' && !Array.isArray(g) && typeof g[id] === 'string' && g[id]) return g[id];
    }
    // A repeating inject's n-th incident is named `inject#n`.
    const base = String(id).split('#')[0];
    if (base !== id) {
      const b = TTX.name(state, base);
      if (b !== base) return `${b} (${String(id).slice(base.length + 1)})`;
    }
    return String(id);
  };

  /** Normalised status key: operational, degraded or down. */
  TTX.statusKey = function statusKey(status) {
    const s = String(status || '').toLowerCase();
    if (s.startsWith('oper')) return 'operational';
    if (s.startsWith('degr')) return 'degraded';
    if (s.startsWith('down')) return 'down';
    return 'unknown';
  };

  const STATUS_MARK = { operational: '●', degraded: '◐', down: '○', unknown: '·' };
  const STATUS_WORD = { operational: 'Operational', degraded: 'Degraded', down: 'Down', unknown: 'Unknown' };

  /** A status badge: colour and a word, so it reads in black and white too. */
  TTX.statusBadge = function statusBadge(status, isolated) {
    const k = TTX.statusKey(status);
    const badge = TTX.h(
      'span',
      { class: `status status-${k}`, testid: 'status', data: { status: k } },
      TTX.h('span', { class: 'status-mark', attrs: { 'aria-hidden': 'true' } }, STATUS_MARK[k]),
      ` ${STATUS_WORD[k]}`,
    );
    if (!isolated) return badge;
    return TTX.h(
      'span',
      { class: 'status-wrap' },
      badge,
      TTX.h('span', { class: 'isolated-note', testid: 'isolated' }, 'isolated from the network'),
    );
  };

  /** A bar for a share 0..1, with the percentage written beside it. */
  TTX.bar = function bar(x, kind) {
    const v = Math.max(0, Math.min(1, Number(x) || 0));
    const k = kind || TTX.statusKey(v >= 0.8 ? 'operational' : v >= 0.3 ? 'degraded' : 'down');
    return TTX.h(
      'span',
      { class: 'bar-cell' },
      TTX.h(
        'span',
        { class: 'bar', attrs: { 'aria-hidden': 'true' } },
        TTX.h('span', { class: `bar-fill fill-${k}`, style: `width:${Math.round(v * 100)}%` }),
      ),
      TTX.h('span', { class: 'bar-text' }, TTX.fmtPct(v)),
    );
  };

  // ---------------------------------------------------------------------
  // Messages: #error for refusals of the API, a banner for fatal problems.

  /** Shows a message in #error (an ApiError, an Error or a string). */
  TTX.showError = function showError(e) {
    const el = document.getElementById('error');
    if (!el) return;
    const msg = typeof e === 'string' ? e : (e && e.message) || 'Something went wrong.';
    el.replaceChildren(
      TTX.h('span', { class: 'error-text', testid: 'error-text' }, msg),
      TTX.h('button', {
        type: 'button',
        class: 'link-button error-close',
        text: 'Dismiss',
        on: { click: () => TTX.clearError() },
      }),
    );
    el.hidden = false;
    if (typeof el.scrollIntoView === 'function') {
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.bottom > global.innerHeight) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  };

  /** Empties and hides #error. */
  TTX.clearError = function clearError() {
    const el = document.getElementById('error');
    if (!el) return;
    el.replaceChildren();
    el.hidden = true;
  };

  /** A fatal message instead of the page's content (a missing or wrong link). */
  TTX.fatal = function fatal(title, ...lines) {
    const heading = document.getElementById('scenario-title');
    if (heading && !document.body.classList.contains('has-state')) heading.textContent = 'cyberttx exercise';
    const conn = document.getElementById('connection');
    if (conn) {
      conn.textContent = 'Not connected';
      conn.dataset.state = 'off';
    }
    const main = document.getElementById('main');
    const box = TTX.h(
      'section',
      { class: 'panel fatal', id: 'fatal', testid: 'fatal', attrs: { role: 'alert' } },
      TTX.h('h2', null, title),
      lines.map((l) => TTX.h('p', null, l)),
    );
    if (main) TTX.fill(main, box);
    else document.body.appendChild(box);
  };

  /** A short-lived confirmation beside a form ("Note saved."). */
  TTX.flash = function flash(id, text) {
    const el = document.getElementById(id);
    if (!el) return;
    el.textContent = text;
    el.classList.add('flash-on');
    clearTimeout(el._flashTimer);
    el._flashTimer = setTimeout(() => {
      el.textContent = '';
      el.classList.remove('flash-on');
    }, 6000);
  };

  // ---------------------------------------------------------------------
  // The API.

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.name = 'ApiError';
      this.status = status;
    }
  }
  TTX.ApiError = ApiError;

  function messageFor(status, data) {
    const said = data && typeof data.error === 'string' && data.error ? data.error : '';
    switch (status) {
      case 0:
        return 'Cannot reach the exercise server. Check the network; the page reconnects by itself.';
      case 400:
        return said || 'The server refused this request.';
      case 403:
        return 'This link is not valid for this exercise. Open the exact link you were sent, or ask the facilitator for it.';
      case 404:
        return 'The server does not know this address. Is the program up to date?';
      case 409:
        return said || 'The exercise is over: nothing more can be changed.';
      case 413:
        return 'That text is too long (over 64 KiB). Please shorten it.';
      case 500:
        return said ? `The server could not save this, nothing was changed: ${said}` : 'The server could not save this; nothing was changed.';
      default:
        return said || `The server answered with an error (${status}).`;
    }
  }

  /**
   * Calls the API with the token. `opts.body` (an object) makes it a POST
   * with JSON. Resolves to the parsed JSON answer (or null); rejects with an
   * ApiError whose message is ready to show. With `opts.raw`, resolves to the
   * Response itself when it is ok.
   */
  TTX.api = async function api(path, opts) {
    const o = opts || {};
    const headers = { Authorization: `Bearer ${TTX.token()}`, Accept: 'application/json' };
    let body;
    if (o.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    let res;
    try {
      res = await fetch(path, {
        method: o.method || (body !== undefined ? 'POST' : 'GET'),
        headers,
        body,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (_) {
      throw new ApiError(0, messageFor(0, null));
    }
    if (o.raw && res.ok) return res;
    const text = await res.text().catch(() => '');
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (_) {
        data = null;
      }
    }
    if (!res.ok) throw new ApiError(res.status, messageFor(res.status, data));
    return data;
  };

  /** POST `body` to `path`. */
  TTX.post = function post(path, body) {
    return TTX.api(path, { method: 'POST', body: body === undefined ? {} : body });
  };

  /**
   * Runs `fn` with `button` disabled (and marked busy) until it settles;
   * shows a refusal in #error. Resolves to fn's result, or undefined.
   */
  TTX.busy = async function busy(button, fn) {
    const was = button ? button.disabled : false;
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
    }
    try {
      const r = await fn();
      TTX.clearError();
      return r;
    } catch (e) {
      TTX.showError(e);
      return undefined;
    } finally {
      if (button) {
        button.removeAttribute('aria-busy');
        // The page's next render decides; until then restore what it was.
        button.disabled = was;
      }
    }
  };

  /**
   * Downloads `path` with the token (a link cannot carry the header): fetch,
   * then a Blob and an object URL saved as `filename`.
   */
  TTX.download = async function download(path, filename) {
    const res = await TTX.api(path, { raw: true });
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = TTX.h('a', { href: url, download: filename, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };

  // ---------------------------------------------------------------------
  // The live connection.

  /**
   * Keeps the page up to date: fetches /api/state now and after every
   * `update` event of /api/events, reconnecting by itself.
   * handlers: onState(state), onError(ApiError), onConnection(kind) with
   * kind 'live', 'connecting' or 'lost'. Returns {refresh, accept, stop}.
   */
  TTX.live = function live(handlers) {
    const onState = handlers.onState;
    const onError = handlers.onError || TTX.showError;
    const onConnection = handlers.onConnection || (() => {});
    let version = -Infinity;
    let inflight = false;
    let again = false;
    let stopped = false;
    let source = null;
    let retry = 1000;
    let timer = null;
    let poll = null;

    function accept(state) {
      if (!state || typeof state !== 'object') return;
      const v = typeof state.version === 'number' ? state.version : null;
      if (v !== null && v < version) return; // an older answer overtaken by a newer one
      if (v !== null) version = v;
      onState(state);
    }

    async function refresh() {
      if (stopped) return;
      if (inflight) {
        again = true;
        return;
      }
      inflight = true;
      try {
        do {
          again = false;
          accept(await TTX.api('/api/state'));
        } while (again && !stopped);
      } catch (e) {
        if (e && e.status === 403) {
          stop();
          onError(e);
        } else if (e && e.status === 0) {
          onConnection('lost');
        } else {
          onError(e);
        }
      } finally {
        inflight = false;
      }
    }

    function schedule() {
      if (stopped || timer) return;
      onConnection('lost');
      timer = setTimeout(() => {
        timer = null;
        connect();
      }, retry);
      retry = Math.min(retry * 2, 15000);
    }

    function connect() {
      if (stopped) return;
      if (source) source.close();
      if (typeof EventSource === 'undefined') {
        // Very old browsers: poll instead.
        if (!poll) poll = setInterval(refresh, 5000);
        return;
      }
      onConnection('connecting');
      const es = new EventSource(`/api/events?token=${encodeURIComponent(TTX.token())}`);
      source = es;
      es.addEventListener('open', () => {
        retry = 1000;
        onConnection('live');
        refresh();
      });
      es.addEventListener('update', () => refresh());
      es.addEventListener('message', () => refresh());
      es.addEventListener('error', () => {
        if (es !== source) return;
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          source = null;
          schedule();
        } else {
          // The browser retries by itself; say so.
          onConnection('lost');
        }
      });
    }

    function stop() {
      stopped = true;
      if (source) source.close();
      source = null;
      clearTimeout(timer);
      clearInterval(poll);
    }

    refresh();
    connect();
    return { refresh, accept, stop };
  }

  /** Shows the connection's state in #connection. */
  TTX.showConnection = function showConnection(kind) {
    const el = document.getElementById('connection');
    if (!el) return;
    const text = {
      live: 'Live',
      connecting: 'Connecting…',
      lost: 'Connection lost — reconnecting…',
    }[kind] || kind;
    el.textContent = text;
    el.dataset.state = kind;
    el.title = kind === 'live' ? 'This page updates by itself.' : 'The page will catch up as soon as the server is reachable.';
  };

  // ---------------------------------------------------------------------
  // Pieces both pages show.

  /** "Turn 2 of 6", or how the exercise ended. */
  TTX.turnText = function turnText(state) {
    const sc = state.scenario || {};
    const turns = Number(sc.turns) || 0;
    if (state.over) {
      if (state.ended_early !== null && state.ended_early !== undefined) {
        return `Exercise over — ended by the facilitator in turn ${state.ended_early} of ${turns}`;
      }
      return `Exercise over — all ${TTX.plural(turns, 'turn')} played`;
    }
    return `Turn ${state.turn} of ${turns}`;
  };

  /** Fills the header bar: #scenario-title, #turn, #turn-length. */
  TTX.renderHeader = function renderHeader(state) {
    const sc = state.scenario || {};
    TTX.setText('scenario-title', sc.title || sc.id || 'cyberttx exercise');
    TTX.setText('turn', TTX.turnText(state));
    TTX.setText('turn-length', sc.turn_length && !state.over ? `each turn is ${sc.turn_length}` : '');
    const page = { team: 'Team', facilitator: 'Facilitator' }[document.body.dataset.page] || 'cyberttx';
    document.title = `${sc.title || 'Exercise'} — ${TTX.turnText(state)} — ${page}`;
    document.body.classList.toggle('is-over', Boolean(state.over));
    document.body.classList.add('has-state');
  };

  /** The scenario's summary, briefing and objectives, in a <details>. */
  TTX.scenarioBox = function scenarioBox(state, openByDefault) {
    const sc = state.scenario || {};
    const objectives = Array.isArray(sc.objectives) ? sc.objectives : [];
    return TTX.details(
      'scenario',
      TTX.h('span', null, 'About this exercise: ', TTX.h('strong', null, sc.title || sc.id || '')),
      openByDefault,
      sc.summary ? TTX.h('p', { class: 'lead' }, sc.summary) : null,
      sc.briefing ? TTX.h('h3', null, 'Briefing') : null,
      sc.briefing ? TTX.h('p', { class: 'prose' }, sc.briefing) : null,
      objectives.length ? TTX.h('h3', null, 'Objectives of the exercise') : null,
      objectives.length ? TTX.h('ul', null, objectives.map((o) => TTX.h('li', null, o))) : null,
      TTX.h(
        'p',
        { class: 'muted' },
        `${TTX.plural(Number(sc.turns) || 0, 'turn')}`,
        sc.turn_length ? `, each standing for ${sc.turn_length}.` : '.',
      ),
    );
  };

  /** A public statement (a string, or {turn, by, text}) as a list item. */
  TTX.statementItem = function statementItem(state, s) {
    if (s && typeof s === 'object') {
      const who = s.by ? TTX.name(state, s.by) : 'News';
      return TTX.h(
        'li',
        { class: 'statement' },
        TTX.h('span', { class: 'statement-by' }, who),
        s.turn !== undefined && s.turn !== null ? TTX.h('span', { class: 'muted' }, ` · turn ${s.turn}`) : null,
        TTX.h('span', { class: 'statement-text' }, ` — ${s.text || ''}`),
      );
    }
    return TTX.h('li', { class: 'statement' }, String(s));
  };

  /** One turn's public results, as an <article>. */
  TTX.resultCard = function resultCard(state, r, previous) {
    const sectors = Array.isArray(r.sectors) ? r.sectors : [];
    const changes = Array.isArray(r.changes) ? r.changes : [];
    const statements = Array.isArray(r.statements) ? r.statements : [];
    const impactDelta = previous ? Math.round(Number(r.impact) || 0) - Math.round(Number(previous.impact) || 0) : null;
    const tensionDelta = previous ? (Number(r.tension) || 0) - (Number(previous.tension) || 0) : null;
    return TTX.h(
      'article',
      { class: 'result', testid: 'result', data: { turn: r.turn } },
      TTX.h('h3', null, `Results of turn ${r.turn}`),
      TTX.h(
        'div',
        { class: 'figures' },
        TTX.h(
          'div',
          { class: 'figure' },
          TTX.h('span', { class: 'figure-label' }, 'Civilian impact'),
          TTX.h('span', { class: 'figure-value', testid: 'impact' }, `${TTX.fmtInt(r.impact)} people affected`),
          impactDelta !== null && impactDelta !== 0
            ? TTX.h('span', { class: 'figure-delta' }, `${TTX.fmtSigned(impactDelta)} since the turn before`)
            : null,
        ),
        TTX.h(
          'div',
          { class: 'figure' },
          TTX.h('span', { class: 'figure-label' }, 'Tension between the parties'),
          TTX.h('span', { class: 'figure-value', testid: 'tension' }, `${TTX.fmtInt(r.tension)} / 100`),
          tensionDelta !== null && tensionDelta !== 0
            ? TTX.h('span', { class: 'figure-delta' }, `${TTX.fmtSigned(tensionDelta)} since the turn before`)
            : null,
        ),
      ),
      sectors.length
        ? TTX.table(
            ['Sector', 'Service', 'Operational', 'Degraded', 'Down'],
            sectors.map((s) =>
              TTX.row([
                s.label || TTX.humanize(s.sector),
                TTX.bar(s.service),
                { cell: TTX.fmtInt(s.operational), class: 'num' },
                { cell: TTX.fmtInt(s.degraded), class: 'num' },
                { cell: TTX.fmtInt(s.down), class: 'num' },
              ]),
            ),
            { class: 'sectors' },
          )
        : null,
      TTX.h('h4', null, 'What changed'),
      changes.length
        ? TTX.h('ul', { class: 'changes' }, changes.map((c) => TTX.h('li', null, String(c))))
        : TTX.h('p', { class: 'muted' }, 'No service went down or came back.'),
      statements.length ? TTX.h('h4', null, 'Public statements') : null,
      statements.length ? TTX.h('ul', { class: 'statements' }, statements.map((s) => TTX.statementItem(state, s))) : null,
    );
  };

  /** Fills `container` with the public results of each turn, newest first. */
  TTX.renderResults = function renderResults(container, state) {
    const results = Array.isArray(state.results) ? state.results.slice() : [];
    results.sort((a, b) => (Number(a.turn) || 0) - (Number(b.turn) || 0));
    const cards = results.map((r, i) => TTX.resultCard(state, r, i > 0 ? results[i - 1] : null)).reverse();
    if (!cards.length) {
      TTX.fill(container, TTX.h('p', { class: 'muted empty' }, 'No turn has been played yet. The results of each turn appear here, newest first.'));
      return;
    }
    TTX.fill(container, cards);
  };

  /** Keeps the focus and caret of a form field across a rebuild of `root`. */
  TTX.keepFocus = function keepFocus(root, rebuild) {
    const active = document.activeElement;
    let key = null;
    let sel = null;
    if (active && root.contains(active) && active.dataset && active.dataset.focusKey) {
      key = active.dataset.focusKey;
      try {
        sel = [active.selectionStart, active.selectionEnd];
      } catch (_) {
        sel = null;
      }
    }
    rebuild();
    if (key) {
      const again = root.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
      if (again) {
        again.focus();
        if (sel && typeof again.setSelectionRange === 'function' && sel[0] !== null) {
          try {
            again.setSelectionRange(sel[0], sel[1]);
          } catch (_) {
            /* not a text field */
          }
        }
      }
    }
  };

  /** Runs `fn` once the document is ready. */
  TTX.ready = function ready(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  };

  /**
   * Starts a page that follows the exercise under its link's token, once
   * the document is ready. `p.role` is the role the page serves, and
   * `p.onState(state)` gets each newer state of that role. The page's
   * messages: `p.noToken` ({ title, text }) when it was opened without a
   * token; `p.otherRole` ({ title, text, path, link }) when the token is of
   * the other role, with a link to that role's page; `p.refused` (a title)
   * when the server refuses the token. `p.start()` runs once before the
   * page connects. Returns the page's live updates: `refresh()`,
   * `accept(state)` and `stop()`.
   */
  TTX.page = function page(p) {
    let stopped = false;
    let live = null;
    function stop() {
      stopped = true;
      if (live) live.stop();
    }
    TTX.ready(() => {
      if (!TTX.token()) {
        TTX.setText('scenario-title', 'cyberttx exercise');
        TTX.showConnection('lost');
        TTX.setText('connection', 'Not connected');
        TTX.fatal(p.noToken.title, p.noToken.text);
        return;
      }
      p.start();
      live = TTX.live({
        onState(st) {
          if (stopped) return;
          if (st.role && st.role !== p.role) {
            stop();
            const o = p.otherRole;
            TTX.fatal(o.title, o.text, TTX.h('a', { href: `${o.path}${global.location.hash}`, text: o.link }));
            return;
          }
          p.onState(st);
        },
        onError(e) {
          if (e && e.status === 403) {
            stop();
            TTX.fatal(p.refused, e.message);
            return;
          }
          TTX.showError(e);
        },
        onConnection: TTX.showConnection,
      });
    });
    return {
      refresh: () => live && live.refresh(),
      accept: (st) => live && live.accept(st),
      stop,
    };
  };

  // A new token in the address (a different link pasted) means a new page.
  if (global.addEventListener) global.addEventListener('hashchange', () => global.location.reload());

  // The landing page with a token in its address (a link opened at `/`):
  // offer the page the token opens.
  TTX.landing = async function landing() {
    const box = document.getElementById('landing-next');
    if (!box || !TTX.token()) return;
    try {
      const st = await TTX.api('/api/state');
      const team = st && st.role === 'team';
      const where = team ? '/team' : '/facilitator';
      const who = team ? (st.team ? `${st.team} — ${st.name || st.actor}` : st.name || st.actor) : 'the facilitator';
      TTX.fill(
        box,
        TTX.h(
          'p',
          { class: 'banner banner-over' },
          `Your link is for ${who}. `,
          TTX.h('a', { href: `${where}${global.location.hash}`, class: 'button primary', text: team ? 'Open your team’s page' : 'Open the facilitator’s console', testid: 'landing-open' }),
        ),
      );
    } catch (e) {
      TTX.fill(box, TTX.h('p', { class: 'error' }, e.message));
    }
  };
  TTX.ready(() => {
    if (document.body && document.body.dataset.page === 'index') TTX.landing();
  });

  global.TTX = TTX;
})(typeof window !== 'undefined' ? window : globalThis);
