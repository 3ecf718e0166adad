// A team's page: what its actor knows, what it may do this turn, its
// submission, and the public results. Redrawn on every update of the
// server; the decision form keeps what the team is typing unless the turn
// changes.
'use strict';

(function () {
  const { h, fill } = TTX;

  const TARGET_HINT = {
    OwnAsset: 'one of your assets',
    AnyAsset: 'any asset',
    Incident: 'an incident you know of',
    Actor: 'another actor',
    Request: 'a request for assistance to you',
  };

  const S = {
    state: null,
    turn: null, // the turn the form is for
    lines: new Map(), // response id → [{key, checked, target, reason}]
    seq: 0,
    dirty: false, // touched since it last matched the server's submission
    syncedKey: null, // the submission the form was last aligned with
    responsesKey: null, // the responses #responses was built from
    rebuild: true,
    live: null,
  };

  const $ = (id) => document.getElementById(id);

  // -------------------------------------------------------------------
  // Helpers on the state.

  function briefing() {
    return (S.state && S.state.briefing) || {};
  }

  function responses() {
    const r = briefing().responses;
    return Array.isArray(r) ? r : [];
  }

  function responseById(id) {
    return responses().find((r) => r.id === id) || null;
  }

  function hasTarget(r) {
    return Boolean(r && r.target && r.target !== 'NoTarget');
  }

  function over() {
    return Boolean(S.state && S.state.over);
  }

  /** A target's readable name. */
  function targetLabel(r, id) {
    if (r && r.target === 'Request') return `Request from ${TTX.name(S.state, id)}`;
    return TTX.name(S.state, id);
  }

  /** The server's choices, normalised for comparison. */
  function normChoices(list) {
    return (Array.isArray(list) ? list : []).map((c) => ({
      response: String(c.response),
      target: c.target === undefined || c.target === null || c.target === '' ? null : String(c.target),
      rationale: c.rationale ? String(c.rationale) : '',
    }));
  }

  function submissionKey(st) {
    return JSON.stringify({ s: Boolean(st.submitted), t: st.turn, c: normChoices(st.choices) });
  }

  function newLine(props) {
    S.seq += 1;
    return Object.assign({ key: `l${S.seq}`, checked: false, target: '', reason: '' }, props || {});
  }

  /** The choices the form holds now, as the API takes them. */
  function currentChoices() {
    const general = $('rationale').value.trim();
    const out = [];
    for (const r of responses()) {
      for (const line of S.lines.get(r.id) || []) {
        if (!line.checked) continue;
        out.push({
          response: r.id,
          target: hasTarget(r) ? line.target || null : null,
          rationale: line.reason.trim() || general,
        });
      }
    }
    return out;
  }

  /** Checked lines, with their response. */
  function checkedLines() {
    const out = [];
    for (const r of responses()) {
      for (const line of S.lines.get(r.id) || []) if (line.checked) out.push({ r, line });
    }
    return out;
  }

  // -------------------------------------------------------------------
  // The form's model.

  function resetForm() {
    S.lines = new Map();
    $('rationale').value = '';
    S.dirty = false;
    S.syncedKey = null;
    S.rebuild = true;
  }

  /** Sets the form to the server's submission (nobody here is editing it). */
  function loadFromChoices(st) {
    const choices = normChoices(st.choices);
    S.lines = new Map();
    const reasons = new Set(choices.map((c) => c.rationale));
    const shared = choices.length > 0 && reasons.size === 1 ? choices[0].rationale : null;
    if (shared !== null) $('rationale').value = shared;
    else if (choices.length) $('rationale').value = '';
    for (const c of choices) {
      const list = S.lines.get(c.response) || [];
      list.push(newLine({ checked: true, target: c.target || '', reason: shared !== null ? '' : c.rationale }));
      S.lines.set(c.response, list);
    }
    S.dirty = false;
    S.syncedKey = submissionKey(st);
    S.rebuild = true;
  }

  /** One line per response at least; drops what is no longer possible. */
  function alignLines() {
    const lost = [];
    const next = new Map();
    const ids = new Set(responses().map((r) => r.id));
    for (const [id, list] of S.lines) {
      if (!ids.has(id) && list.some((l) => l.checked)) lost.push(TTX.humanize(id));
    }
    for (const r of responses()) {
      let list = (S.lines.get(r.id) || []).slice();
      if (hasTarget(r)) {
        const targets = new Set((r.targets || []).map(String));
        for (const line of list) {
          if (line.target && !targets.has(line.target)) {
            if (line.checked) lost.push(`${r.label} → ${targetLabel(r, line.target)}`);
            line.target = '';
            line.checked = false;
          }
        }
        // A response with one target needs no choice.
        if ((r.targets || []).length === 1) for (const line of list) if (!line.target) line.target = String(r.targets[0]);
      }
      if (list.length === 0) list = [newLine(hasTarget(r) && (r.targets || []).length === 1 ? { target: String(r.targets[0]) } : null)];
      next.set(r.id, list);
    }
    S.lines = next;
    return lost;
  }

  function touched() {
    S.dirty = true;
    renderPoints();
    renderPlanHint();
    renderSubmitted();
  }

  // -------------------------------------------------------------------
  // Drawing.

  function renderIdentity(st) {
    const b = st.briefing || {};
    const actorName = st.name || b.name || st.actor || '';
    const team = (st.team || '').trim();
    $('team-name').textContent = team ? `${team} — ${actorName}` : actorName;
    const kind = b.kind ? TTX.humanize(b.kind) : '';
    const capacity = Number(b.capacity) || 0;
    fill(
      'actor-line',
      'You play ',
      h('strong', null, actorName),
      kind ? ` (${kind.toLowerCase() === 'cert' ? 'CERT' : kind.toLowerCase()})` : '',
      capacity ? `, with ${TTX.plural(capacity, 'action point')} per turn.` : '.',
    );
  }

  function renderOver(st) {
    const el = $('over-banner');
    if (!st.over) {
      el.hidden = true;
      el.replaceChildren();
      return;
    }
    el.hidden = false;
    fill(
      el,
      h('strong', null, 'The exercise is over. '),
      st.ended_early !== null && st.ended_early !== undefined
        ? `The facilitator ended it in turn ${st.ended_early}. `
        : 'Every turn has been played. ',
      'No more decisions can be submitted. The final results are below; the facilitator will lead the debrief.',
    );
  }

  function renderInjects(st) {
    const b = st.briefing || {};
    const injects = Array.isArray(b.injects) ? b.injects : [];
    const now = Number(b.turn || st.turn);
    const current = injects.filter((i) => Number(i.turn) === now);
    const earlier = injects.filter((i) => Number(i.turn) !== now).reverse();
    const card = (i) =>
      h(
        'article',
        { class: 'inject', testid: 'inject', data: { inject: i.id, turn: i.turn } },
        h('h4', null, i.title || i.id),
        i.text ? h('p', { class: 'prose' }, i.text) : null,
      );
    fill(
      'injects',
      current.length
        ? current.map(card)
        : h('p', { class: 'muted empty' }, st.over ? 'The exercise is over.' : 'No new messages for you this turn.'),
      earlier.length
        ? TTX.details(
            'earlier-injects',
            `Earlier messages (${earlier.length})`,
            false,
            earlier.map((i) =>
              h(
                'article',
                { class: 'inject inject-old', testid: 'inject-earlier', data: { inject: i.id, turn: i.turn } },
                h('h4', null, h('span', { class: 'muted' }, `Turn ${i.turn} · `), i.title || i.id),
                i.text ? h('p', { class: 'prose' }, i.text) : null,
              ),
            ),
          )
        : null,
    );
  }

  function confidenceWord(c) {
    if (c >= 0.75) return 'high';
    if (c >= 0.4) return 'moderate';
    return 'low';
  }

  function renderIncidents(st) {
    const list = Array.isArray((st.briefing || {}).incidents) ? st.briefing.incidents : [];
    if (!list.length) {
      fill('incidents', h('p', { class: 'muted empty' }, 'None that you know of.'));
      return;
    }
    fill(
      'incidents',
      h(
        'ul',
        { class: 'cards' },
        list.map((i) => {
          const conf = Number(i.confidence) || 0;
          return h(
            'li',
            { class: ['card', 'incident', i.active ? 'is-active' : 'is-contained'], testid: 'incident', data: { incident: i.name } },
            h(
              'div',
              { class: 'card-head' },
              h('strong', null, i.title || TTX.name(st, i.name)),
              h(
                'span',
                { class: ['tag', i.active ? 'tag-alert' : 'tag-calm'] },
                i.active ? 'Active' : 'Contained',
              ),
            ),
            h('p', { class: 'muted' }, TTX.humanize(i.kind)),
            h(
              'p',
              { testid: 'suspect' },
              i.suspect
                ? ['Your evidence points to ', h('strong', null, TTX.name(st, i.suspect)), '.']
                : 'Your evidence points to nobody yet.',
            ),
            h(
              'p',
              { class: 'confidence', testid: 'confidence' },
              'Your confidence: ',
              h('strong', null, `${TTX.fmtPct(conf)} (${confidenceWord(conf)})`),
              ' — evidence may be wrong or planted.',
            ),
          );
        }),
      ),
    );
  }

  function renderAssets(st) {
    const list = Array.isArray((st.briefing || {}).assets) ? st.briefing.assets : [];
    if (!list.length) {
      fill('assets', h('p', { class: 'muted empty' }, 'Your organisation runs no infrastructure in this exercise.'));
      return;
    }
    fill(
      'assets',
      TTX.table(
        ['Asset', 'Status and service'],
        list.map((a) =>
          TTX.row(
            [
              h('span', null, h('strong', null, a.name || a.id), h('span', { class: 'sub' }, TTX.humanize(a.sector))),
              h('span', { class: 'status-service' }, TTX.statusBadge(a.status, a.isolated), h('span', { class: 'service-line' }, 'service ', TTX.bar(a.service))),
            ],
            { data: { asset: a.id }, testid: 'asset' },
          ),
        ),
        { class: 'assets' },
      ),
      h('p', { class: 'muted small' }, 'Operational: 80% service or more. Degraded: 30–79%. Down: under 30%.'),
    );
  }

  function renderRequests(st) {
    const list = Array.isArray((st.briefing || {}).requests) ? st.briefing.requests : [];
    if (!list.length) {
      fill('requests', h('p', { class: 'muted empty' }, 'None.'));
      return;
    }
    fill(
      'requests',
      h(
        'ul',
        { class: 'plain-list' },
        list.map((r) =>
          h(
            'li',
            { testid: 'request', data: { from: r.from } },
            h('strong', null, TTX.name(st, r.from)),
            ` asked you for assistance in turn ${r.made}`,
            Number(r.age) > 0 ? ` — unanswered for ${TTX.plural(Number(r.age), 'turn')}.` : '.',
          ),
        ),
      ),
    );
  }

  function renderStatements(st) {
    const list = Array.isArray((st.briefing || {}).announcements) ? st.briefing.announcements.slice().reverse() : [];
    if (!list.length) {
      fill('statements', h('p', { class: 'muted empty' }, 'None yet.'));
      return;
    }
    const recent = list.slice(0, 5);
    const older = list.slice(5);
    fill(
      'statements',
      h('ul', { class: 'statements' }, recent.map((s) => TTX.statementItem(st, s))),
      older.length
        ? TTX.details('older-statements', `Older statements (${older.length})`, false, h('ul', { class: 'statements' }, older.map((s) => TTX.statementItem(st, s))))
        : null,
    );
  }

  function lineElement(r, line, index, row) {
    const disabled = over();
    const needsTarget = hasTarget(r);
    const el = h('div', { class: ['line', line.checked ? 'checked' : null], data: { key: line.key }, testid: 'response-line' });
    const id = `chk-${line.key}`;
    const cb = h('input', {
      type: 'checkbox',
      id,
      checked: line.checked,
      disabled,
      testid: 'response-check',
      data: { focusKey: `${line.key}-check` },
    });
    cb.addEventListener('change', () => {
      line.checked = cb.checked;
      el.classList.toggle('checked', cb.checked);
      updateRow(row, r);
      touched();
    });
    el.appendChild(
      h('label', { class: 'check', for: id }, cb, h('span', null, index === 0 ? 'Choose this' : 'Also this')),
    );

    if (needsTarget) {
      const targets = Array.isArray(r.targets) ? r.targets.map(String) : [];
      const labels = targets.map((t) => targetLabel(r, t));
      const selId = `tgt-${line.key}`;
      const sel = h('select', {
        id: selId,
        disabled: disabled || targets.length === 0,
        testid: 'response-target',
        data: { focusKey: `${line.key}-target` },
      });
      sel.appendChild(h('option', { value: '', text: targets.length ? 'Choose a target…' : 'No valid target now' }));
      targets.forEach((t, k) => {
        const duplicate = labels.filter((x) => x === labels[k]).length > 1;
        sel.appendChild(h('option', { value: t, text: duplicate && labels[k] !== t ? `${labels[k]} (${t})` : labels[k] }));
      });
      sel.value = targets.includes(line.target) ? line.target : '';
      sel.addEventListener('change', () => {
        line.target = sel.value;
        if (sel.value && !line.checked) {
          line.checked = true;
          cb.checked = true;
          el.classList.add('checked');
        }
        updateRow(row, r);
        touched();
      });
      el.appendChild(
        h(
          'label',
          { class: 'target', for: selId },
          h('span', { class: 'target-label' }, `Target (${TARGET_HINT[r.target] || TTX.humanize(r.target).toLowerCase()})`),
          sel,
        ),
      );
    }

    const reasonId = `why-${line.key}`;
    const reason = h('input', {
      type: 'text',
      id: reasonId,
      value: line.reason,
      disabled,
      maxLength: 2000,
      placeholder: 'Reason for this choice (optional)',
      testid: 'response-reason',
      data: { focusKey: `${line.key}-reason` },
    });
    reason.addEventListener('input', () => {
      line.reason = reason.value;
      touched();
    });
    el.appendChild(h('label', { class: 'reason', for: reasonId }, h('span', { class: 'sr-only' }, `Reason for “${r.label}”`), reason));

    if (index > 0) {
      el.appendChild(
        h('button', {
          type: 'button',
          class: 'link-button',
          text: 'Remove',
          disabled,
          testid: 'response-remove-line',
          on: {
            click: () => {
              const list = S.lines.get(r.id) || [];
              S.lines.set(
                r.id,
                list.filter((l) => l !== line),
              );
              S.rebuild = true;
              renderResponses();
              touched();
            },
          },
        }),
      );
    }
    return el;
  }

  function updateRow(row, r) {
    const lines = S.lines.get(r.id) || [];
    const chosen = lines.some((l) => l.checked);
    row.classList.toggle('chosen', chosen);
    // "Another target" only once a first target is chosen.
    const add = row.querySelector('.add-line');
    if (add) add.hidden = !lines.some((l) => l.checked && l.target);
  }

  function renderResponses() {
    const container = $('responses');
    const list = responses();
    const key = JSON.stringify(list) + (over() ? ':over' : '');
    if (!S.rebuild && key === S.responsesKey) {
      for (const row of container.querySelectorAll('.response')) {
        const r = responseById(row.dataset.response);
        if (r) updateRow(row, r);
      }
      return;
    }
    S.responsesKey = key;
    S.rebuild = false;
    TTX.keepFocus(container, () => {
      if (over()) {
        fill(container, h('p', { class: 'muted empty' }, 'The exercise is over: no more decisions can be made.'));
        return;
      }
      if (!list.length) {
        fill(
          container,
          h('p', { class: 'muted empty' }, over() ? 'The exercise is over.' : 'Nothing is open to your organisation this turn. You can still submit to record that you do nothing.'),
        );
        return;
      }
      fill(
        container,
        list.map((r) => {
          const row = h('div', { class: 'response', data: { response: r.id }, testid: 'response' });
          const cost = Number(r.cost) || 0;
          row.appendChild(
            h(
              'div',
              { class: 'response-head' },
              h('span', { class: 'response-label', testid: 'response-label' }, r.label || r.id),
              h('span', { class: 'cost', testid: 'response-cost', data: { cost } }, TTX.plural(cost, 'point')),
            ),
          );
          if (r.description) row.appendChild(h('p', { class: 'response-desc' }, r.description));
          const lines = S.lines.get(r.id) || [];
          const box = h('div', { class: 'lines' });
          lines.forEach((line, k) => box.appendChild(lineElement(r, line, k, row)));
          row.appendChild(box);
          const targets = Array.isArray(r.targets) ? r.targets : [];
          if (hasTarget(r) && targets.length > 1 && lines.length < targets.length && !over()) {
            row.appendChild(
              h('button', {
                type: 'button',
                class: 'link-button add-line',
                text: '+ Same response on another target',
                testid: 'response-add',
                on: {
                  click: () => {
                    const added = newLine();
                    S.lines.set(r.id, (S.lines.get(r.id) || []).concat([added]));
                    S.rebuild = true;
                    renderResponses();
                    const sel = document.getElementById(`tgt-${added.key}`);
                    if (sel) sel.focus();
                  },
                },
              }),
            );
          }
          updateRow(row, r);
          return row;
        }),
      );
    });
  }

  function renderPoints() {
    const b = briefing();
    const el = $('points');
    const capacity = Number(b.capacity) || 0;
    if (over()) {
      el.className = 'points';
      el.textContent = '';
      return;
    }
    const used = checkedLines().reduce((sum, x) => sum + (Number(x.r.cost) || 0), 0);
    const left = capacity - used;
    el.className = left < 0 ? 'points points-over' : 'points';
    el.dataset.left = String(left);
    if (left < 0) {
      fill(
        el,
        h('strong', null, `Over your action points by ${-left}.`),
        ` Your plan costs ${TTX.plural(used, 'point')} and your team has ${capacity} this turn. The server will refuse it: untick a choice.`,
      );
    } else {
      fill(
        el,
        'Action points: ',
        h('strong', { testid: 'points-left' }, `${left} of ${capacity} left`),
        used ? ` (your plan uses ${used})` : '',
      );
    }
  }

  function renderPlanHint() {
    const el = $('plan-hint');
    if (over()) {
      el.textContent = '';
      return;
    }
    const chosen = checkedLines();
    const missing = chosen.filter((x) => hasTarget(x.r) && !x.line.target);
    if (missing.length) {
      el.className = 'hint hint-warn';
      el.textContent = `Choose a target for: ${missing.map((x) => `“${x.r.label}”`).join(', ')}.`;
    } else if (!chosen.length) {
      el.className = 'hint';
      el.textContent = 'Nothing is ticked: submitting now records that your team does nothing this turn.';
    } else {
      el.className = 'hint';
      el.textContent = `${TTX.plural(chosen.length, 'choice')} ticked.`;
    }
    const submit = $('submit');
    submit.textContent = chosen.length ? 'Submit decisions' : 'Submit: do nothing this turn';
  }

  function choiceItem(st, c) {
    const r = responseById(c.response);
    return h(
      'li',
      { testid: 'submitted-choice', data: { choiceResponse: c.response } },
      h('strong', null, r ? r.label : c.response),
      c.target ? [' → ', targetLabel(r, c.target)] : null,
      c.rationale ? h('span', { class: 'quote' }, ` — “${c.rationale}”`) : null,
    );
  }

  function renderSubmitted() {
    const st = S.state;
    if (!st) return;
    const el = $('submitted-status');
    const list = normChoices(st.choices);
    const changed = Boolean(st.submitted) && JSON.stringify(currentChoices()) !== JSON.stringify(list);
    el.className = 'submitted-status';
    if (st.over) {
      el.classList.add('is-over');
      el.textContent = 'The exercise is over — no more decisions can be submitted.';
    } else if (st.submitted) {
      el.classList.add('is-submitted');
      el.textContent = changed
        ? 'Submitted — you can revise until the facilitator advances the turn. You have changes below that are not submitted yet.'
        : 'Submitted — you can revise until the facilitator advances the turn.';
    } else {
      el.classList.add('is-pending');
      el.textContent = 'Not submitted yet — submit before the facilitator advances the turn.';
    }
    if (!st.submitted) {
      fill('submitted-choices');
      return;
    }
    fill(
      'submitted-choices',
      h('h3', null, `What you submitted for turn ${st.turn}`),
      list.length
        ? h('ul', { class: 'plain-list choices' }, list.map((c) => choiceItem(st, c)))
        : h('p', null, 'Nothing this turn: your team chose to do nothing.'),
    );
  }

  function renderFormState() {
    const disabled = over();
    $('submit').disabled = disabled;
    $('rationale').disabled = disabled;
    $('decision-form').classList.toggle('is-disabled', disabled);
  }

  function render(st) {
    TTX.renderHeader(st);
    renderIdentity(st);
    renderOver(st);
    fill('scenario', TTX.scenarioBox(st, Number(st.turn) === 1 && !(st.results || []).length));
    renderInjects(st);
    renderIncidents(st);
    renderAssets(st);
    renderRequests(st);
    renderStatements(st);
    renderResponses();
    renderPoints();
    renderPlanHint();
    renderFormState();
    renderSubmitted();
    TTX.renderResults($('results'), st);
  }

  // -------------------------------------------------------------------
  // Updates from the server.

  function onState(st) {
    const first = S.state === null;
    const turnChanged = !first && st.turn !== S.turn;
    S.state = st;
    if (first || turnChanged) {
      resetForm();
      if (st.submitted) loadFromChoices(st);
      if (turnChanged && !st.over) TTX.flash('submit-flash', `Turn ${st.turn} has begun: read what is new, then decide.`);
    } else if (!S.dirty && submissionKey(st) !== S.syncedKey) {
      // Someone else of the team submitted (another laptop): follow it.
      if (st.submitted) loadFromChoices(st);
      else S.syncedKey = submissionKey(st);
    }
    S.turn = st.turn;
    const lost = alignLines();
    render(st);
    if (lost.length) {
      TTX.showError(`No longer possible this turn, so taken off your plan: ${lost.join('; ')}.`);
    }
  }

  async function submit(ev) {
    ev.preventDefault();
    if (!S.state || over()) return;
    const missing = checkedLines().filter((x) => hasTarget(x.r) && !x.line.target);
    if (missing.length) {
      TTX.showError(`Choose a target for “${missing[0].r.label}” before submitting.`);
      return;
    }
    const choices = currentChoices();
    const answer = await TTX.busy($('submit'), () => TTX.post('/api/submit', { choices }));
    if (answer === undefined) {
      renderFormState();
      return;
    }
    const at = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    TTX.flash('submit-flash', choices.length ? `Submitted at ${at}.` : `Submitted at ${at}: nothing this turn.`);
    if (answer && typeof answer === 'object' && answer.role === 'team') {
      S.dirty = false;
      S.syncedKey = submissionKey(answer);
      S.live.accept(answer);
    } else {
      S.dirty = false;
      S.syncedKey = null;
    }
    renderFormState();
    S.live.refresh();
  }

  S.live = TTX.page({
    role: 'team',
    start() {
      $('decision-form').addEventListener('submit', submit);
      $('rationale').addEventListener('input', touched);
    },
    onState,
    noToken: {
      title: 'Open the link you were sent',
      text: 'This page needs your team’s own link: it ends with #token= followed by a code. Ask the facilitator for it, and open it exactly as it was sent.',
    },
    otherRole: {
      title: 'This is the facilitator’s link',
      text: 'It opens the facilitator’s console, not a team page. Open it at the address below, or use a team’s own link.',
      path: '/facilitator',
      link: 'Open the facilitator’s console',
    },
    refused: 'This link does not open a team page',
  });
})();
