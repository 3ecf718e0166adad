// The facilitator's console: the turn and who has submitted, the whole
// truth, injects, notes, adjudications, scores and the ledger, the public
// results, ending the exercise and the report. Redrawn on every update of
// the server; the forms keep what is being typed.
'use strict';

(function () {
  const { h, fill } = TTX;
  const $ = (id) => document.getElementById(id);

  const S = { state: null, live: null };

  // -------------------------------------------------------------------
  // Helpers.

  function name(id) {
    return TTX.name(S.state, id);
  }

  /** A response id as words ("isolate-network" → "Isolate network"). */
  function responseText(id) {
    const names = (S.state && S.state.names) || {};
    return Object.prototype.hasOwnProperty.call(names, id) ? names[id] : TTX.humanize(id);
  }

  function choiceItem(c) {
    return h(
      'li',
      { testid: 'choice', data: { response: c.response } },
      h('strong', null, responseText(c.response)),
      c.target ? [' → ', name(c.target)] : null,
      c.rationale ? h('span', { class: 'quote' }, ` — “${c.rationale}”`) : null,
    );
  }

  /**
   * Sets a <select>'s options ({value, text, disabled}) after a placeholder,
   * keeping the selected value; does nothing if they are unchanged.
   */
  function setOptions(select, placeholder, options) {
    const key = JSON.stringify([placeholder, options]);
    if (select.dataset.optionsKey === key) return;
    const value = select.value;
    select.replaceChildren();
    if (placeholder !== null) select.appendChild(h('option', { value: '', text: placeholder }));
    for (const o of options) select.appendChild(h('option', { value: o.value, text: o.text, disabled: Boolean(o.disabled) }));
    select.dataset.optionsKey = key;
    if (options.some((o) => o.value === value && !o.disabled)) select.value = value;
    else select.value = '';
  }

  function teams() {
    return Array.isArray(S.state && S.state.teams) ? S.state.teams : [];
  }

  // -------------------------------------------------------------------
  // Drawing.

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
        ? `You ended it in turn ${st.ended_early}. `
        : 'Every turn has been played. ',
      'You can still add notes and adjudications for the debrief, and download the report.',
    );
  }

  function renderTurnControl(st) {
    const list = teams();
    const done = list.filter((t) => t.submitted).length;
    const advance = $('advance');
    const turns = Number((st.scenario || {}).turns) || 0;
    if (st.over) {
      TTX.setText('turn-status', TTX.turnText(st));
      advance.disabled = true;
      advance.textContent = 'Advance the turn';
    } else {
      TTX.setText(
        'turn-status',
        `Turn ${st.turn} of ${turns}: ${done} of ${list.length} ${list.length === 1 ? 'actor has' : 'actors have'} submitted.`,
      );
      advance.disabled = false;
      advance.textContent = Number(st.turn) >= turns ? `Advance: resolve turn ${st.turn} (the last)` : `Advance: resolve turn ${st.turn}`;
    }
    $('end').disabled = Boolean(st.over);
    $('inject').disabled = Boolean(st.over);
    $('inject-select').disabled = Boolean(st.over);
  }

  function renderTeams(st) {
    const list = teams();
    if (!list.length) {
      fill('teams', h('p', { class: 'muted empty' }, 'No actors.'));
      return;
    }
    fill(
      'teams',
      TTX.table(
        ['Actor', 'Team', 'This turn', 'Their choices', 'If they do not submit'],
        list.map((t) => {
          const choices = Array.isArray(t.choices) ? t.choices : [];
          let choiceCell;
          if (!t.submitted) choiceCell = h('span', { class: 'muted' }, '—');
          else if (!choices.length) choiceCell = h('span', null, 'Nothing this turn');
          else choiceCell = h('ul', { class: 'plain-list compact' }, choices.map(choiceItem));
          const state = st.over
            ? h('span', { class: 'team-state', testid: 'team-submitted', data: { submitted: String(Boolean(t.submitted)) } }, 'Over')
            : h(
                'span',
                {
                  class: ['team-state', t.submitted ? 'is-yes' : 'is-no'],
                  testid: 'team-submitted',
                  data: { submitted: String(Boolean(t.submitted)) },
                },
                t.submitted ? 'Submitted' : 'Not submitted',
              );
          return TTX.row(
            [
              h('strong', null, t.name || t.actor),
              t.team ? t.team : h('span', { class: 'muted', title: 'No team name was given' }, '—'),
              { cell: state, class: 'submitted-cell' },
              choiceCell,
              h('span', { testid: 'team-bot' }, TTX.policyText(t.bot)),
            ],
            { data: { actor: t.actor }, testid: 'team-row' },
          );
        }),
        { class: 'teams-table' },
      ),
    );
  }

  function renderDecisions(st) {
    const list = Array.isArray(st.decisions) ? st.decisions : [];
    if (!list.length) {
      fill('decisions', h('p', { class: 'muted empty' }, (st.results || []).length ? 'Nobody did anything in the last turn.' : 'No turn has been played yet.'));
      return;
    }
    fill(
      'decisions',
      TTX.table(
        ['Actor', 'Decision', 'Target', 'Rationale'],
        list.map((d) =>
          TTX.row([h('strong', null, name(d.actor)), responseText(d.response), d.target ? name(d.target) : '—', d.rationale || ''], {
            data: { decisionActor: d.actor },
            testid: 'decision',
          }),
        ),
      ),
    );
  }

  function renderTruth(st) {
    const t = st.truth || {};
    const flags = Array.isArray(t.flags) ? t.flags : [];
    fill(
      'truth-figures',
      h(
        'div',
        { class: 'figures' },
        h(
          'div',
          { class: 'figure' },
          h('span', { class: 'figure-label' }, 'Tension'),
          h('span', { class: 'figure-value', testid: 'truth-tension' }, `${TTX.fmtInt(t.tension)} / 100`),
        ),
        h(
          'div',
          { class: 'figure' },
          h('span', { class: 'figure-label' }, 'Civilian impact now'),
          h('span', { class: 'figure-value', testid: 'truth-impact' }, `${TTX.fmtInt(t.impact)} people`),
        ),
        h(
          'div',
          { class: 'figure' },
          h('span', { class: 'figure-label' }, 'Story flags set'),
          h('span', { class: 'figure-flags', testid: 'truth-flags' }, flags.length ? flags.join(', ') : 'none'),
        ),
      ),
    );

    const assets = Array.isArray(t.assets) ? t.assets : [];
    fill(
      'truth-assets',
      assets.length
        ? TTX.table(
            ['Asset', 'Operator', 'Integrity', 'Service', 'Status'],
            assets.map((a) =>
              TTX.row(
                [
                  h('span', null, h('strong', null, a.name || a.id), h('span', { class: 'sub' }, TTX.humanize(a.sector))),
                  name(a.operator),
                  TTX.bar(a.integrity),
                  TTX.bar(a.service),
                  TTX.statusBadge(a.status, a.isolated),
                ],
                { data: { asset: a.id }, testid: 'truth-asset' },
              ),
            ),
          )
        : h('p', { class: 'muted empty' }, 'No assets.'),
    );

    const incidents = Array.isArray(t.incidents) ? t.incidents : [];
    fill(
      'truth-incidents',
      incidents.length
        ? h(
            'ul',
            { class: 'cards' },
            incidents.map((i) => {
              const infected = Array.isArray(i.infected) ? i.infected : [];
              const knowledge = Array.isArray(i.knowledge) ? i.knowledge : [];
              return h(
                'li',
                { class: ['card', 'incident', i.active ? 'is-active' : 'is-contained'], testid: 'truth-incident', data: { incident: i.name } },
                h(
                  'div',
                  { class: 'card-head' },
                  h('strong', null, name(i.name)),
                  h('span', { class: ['tag', i.active ? 'tag-alert' : 'tag-calm'] }, i.active ? 'Active' : 'Contained'),
                ),
                h(
                  'p',
                  { class: 'facts' },
                  h(
                    'span',
                    { testid: 'perpetrator' },
                    h('strong', null, 'Really done by: '),
                    i.perpetrator ? h('strong', null, name(i.perpetrator)) : 'nobody in particular',
                  ),
                  h(
                    'span',
                    { testid: 'false-flag' },
                    h('strong', null, 'False flag: '),
                    i.false_flag ? ['evidence planted to point at ', h('strong', null, name(i.false_flag))] : 'none',
                  ),
                ),
                h(
                  'p',
                  null,
                  h('strong', { class: 'muted' }, 'Assets hit: '),
                  infected.length
                    ? infected
                        .map((x) => {
                          const [asset, contained] = Array.isArray(x) ? x : [x, false];
                          return `${name(asset)} (${contained ? 'contained' : 'not contained'})`;
                        })
                        .join(', ')
                    : 'none',
                ),
                h('p', { class: 'muted' }, h('strong', null, 'Who suspects whom:')),
                knowledge.length
                  ? h(
                      'ul',
                      { class: 'compact' },
                      knowledge.map((k) => {
                        let verdict = null;
                        if (k.suspect && i.perpetrator) {
                          verdict =
                            k.suspect === i.perpetrator
                              ? h('span', { class: 'right' }, ' — right')
                              : h('span', { class: 'wrong' }, ' — wrong');
                        }
                        return h(
                          'li',
                          { testid: 'knowledge', data: { knower: k.actor } },
                          h('strong', null, name(k.actor)),
                          k.suspect ? [' suspects ', name(k.suspect)] : ' suspects nobody yet',
                          ` (confidence ${TTX.fmtPct(k.confidence)})`,
                          verdict,
                        );
                      }),
                    )
                  : h('p', { class: 'muted' }, 'Nobody knows of it.'),
              );
            }),
          )
        : h('p', { class: 'muted empty' }, 'No incident yet.'),
    );

    const requests = Array.isArray(t.requests) ? t.requests : [];
    fill(
      'truth-requests',
      requests.length
        ? h(
            'ul',
            { class: 'plain-list' },
            requests.map((r) =>
              h(
                'li',
                { testid: 'truth-request' },
                h('strong', null, name(r.from)),
                ' asked ',
                h('strong', null, name(r.to)),
                ` in turn ${r.made}`,
                Number(r.age) > 0 ? ` — unanswered for ${TTX.plural(Number(r.age), 'turn')}.` : '.',
              ),
            ),
          )
        : h('p', { class: 'muted empty' }, 'None.'),
    );
  }

  function firedText(fired) {
    const turns = Array.isArray(fired) ? fired : [];
    if (!turns.length) return 'not yet';
    return `turn${turns.length === 1 ? '' : 's'} ${turns.join(', ')}`;
  }

  function renderInjects(st) {
    const list = Array.isArray(st.injects) ? st.injects : [];
    const open = list.filter((i) => i.can_fire);
    setOptions(
      $('inject-select'),
      st.over ? 'The exercise is over' : open.length ? 'Choose an inject…' : 'No inject can fire now',
      open.map((i) => ({
        value: i.id,
        text: (i.fired || []).length ? `${i.title} (fired in ${firedText(i.fired)})` : i.title || i.id,
      })),
    );
    fill(
      'inject-list',
      list.length
        ? TTX.details(
            'all-injects',
            `Every inject of the scenario (${list.length})`,
            false,
            TTX.table(
              ['Inject', 'Fired', 'Can fire now'],
              list.map((i) =>
                TTX.row([h('span', null, i.title || i.id, h('span', { class: 'muted small' }, ` (${i.id})`)), firedText(i.fired), i.can_fire ? 'yes' : 'no'], {
                  data: { inject: i.id },
                }),
              ),
            ),
          )
        : null,
    );
  }

  function renderNotes(st) {
    const notes = Array.isArray(st.notes) ? st.notes.slice().reverse() : [];
    fill(
      'notes',
      notes.length
        ? [
            h('h3', null, `Notes so far (${notes.length})`),
            h(
              'ul',
              { class: 'plain-list choices' },
              notes.map((n) => h('li', { testid: 'note-item' }, h('span', { class: 'muted' }, `Turn ${n.turn}: `), n.text)),
            ),
          ]
        : null,
    );
  }

  function renderAdjudication(st) {
    setOptions(
      $('adj-actor'),
      'Choose an actor…',
      teams().map((t) => ({ value: t.actor, text: t.team ? `${t.name} (${t.team})` : t.name || t.actor })),
    );
    const ledger = Array.isArray(st.ledger) ? st.ledger : [];
    const norms = Array.from(new Set(ledger.map((l) => l.norm).filter(Boolean))).sort();
    const list = $('norm-ids');
    const key = JSON.stringify(norms);
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      fill(list, norms.map((n) => h('option', { value: n })));
    }
  }

  function renderScores(st) {
    const scores = st.scores || {};
    const get = (id) => {
      if (Array.isArray(scores)) return scores.find((s) => s.actor === id) || {};
      return scores[id] || {};
    };
    const actors = teams().map((t) => t.actor);
    const extra = Array.isArray(scores) ? [] : Object.keys(scores).filter((id) => !actors.includes(id));
    const ids = actors.concat(extra);
    if (!ids.length) {
      fill('scores', h('p', { class: 'muted empty' }, 'No scores yet.'));
      return;
    }
    fill(
      'scores',
      TTX.table(
        ['Actor', 'Raw', 'Weighted'],
        ids.map((id) => {
          const s = get(id);
          return TTX.row(
            [
              h('strong', null, name(id)),
              { cell: TTX.fmtSigned(s.raw || 0), class: 'num' },
              { cell: TTX.fmtSigned(s.weighted || 0), class: 'num' },
            ],
            { data: { scoreActor: id }, testid: 'score' },
          );
        }),
      ),
    );
  }

  function renderLedger(st) {
    const ledger = Array.isArray(st.ledger) ? st.ledger.slice().reverse() : [];
    if (!ledger.length) {
      fill('ledger', h('p', { class: 'muted empty' }, 'No assessment yet. Decisions and omissions are scored when a turn resolves.'));
      return;
    }
    fill(
      'ledger',
      h(
        'div',
        { class: 'ledger-scroll' },
        TTX.table(
          ['#', 'Actor', 'Norm', 'Score', 'Source', 'Why', ''],
          ledger.map((l) =>
            TTX.row(
              [
                h('span', { class: 'nowrap' }, h('strong', null, `#${l.number}`), h('span', { class: 'sub' }, `turn ${l.turn}`)),
                name(l.actor),
                h('span', { class: 'nowrap' }, h('strong', null, l.norm), l.framework ? h('span', { class: 'sub' }, l.framework) : null),
                {
                  cell: h(
                    'span',
                    { class: 'nowrap' },
                    h('strong', { testid: 'ledger-score' }, TTX.fmtSigned(l.score)),
                    h('span', { class: 'sub' }, `weighted ${TTX.fmtSigned(l.weighted)}`),
                  ),
                  class: 'struck',
                },
                h(
                  'span',
                  null,
                  TTX.humanize(l.source),
                  l.overridden ? h('strong', { class: 'sub', testid: 'ledger-overridden' }, 'overridden') : null,
                ),
                l.note || '',
                l.overridden
                  ? ''
                  : h('button', {
                      type: 'button',
                      class: 'link-button nowrap',
                      text: 'Change',
                      title: `Change the score of assessment #${l.number}`,
                      testid: 'ledger-change',
                      on: { click: () => prefillOverride(l) },
                    }),
              ],
              { class: l.overridden ? 'overridden' : null, data: { number: l.number }, testid: 'ledger-row' },
            ),
          ),
          { class: 'ledger-table' },
        ),
      ),
    );
  }

  function prefillOverride(l) {
    $('adj-replaces').value = String(l.number);
    $('adj-actor').value = l.actor;
    $('adj-norm').value = l.norm;
    $('adj-score').value = '';
    const form = $('adj-form');
    if (typeof form.scrollIntoView === 'function') form.scrollIntoView({ block: 'center', behavior: 'smooth' });
    $('adj-score').focus();
  }

  function render(st) {
    TTX.renderHeader(st);
    renderOver(st);
    fill('scenario', TTX.scenarioBox(st, false));
    renderTurnControl(st);
    renderTeams(st);
    renderDecisions(st);
    renderTruth(st);
    renderInjects(st);
    renderNotes(st);
    renderAdjudication(st);
    renderScores(st);
    renderLedger(st);
    TTX.renderResults($('results'), st);
  }

  // -------------------------------------------------------------------
  // Updates and actions.

  function onState(st) {
    S.state = st;
    render(st);
  }

  /** Runs a POST from `button`; on success refreshes and returns the answer. */
  async function act(button, path, body) {
    const answer = await TTX.busy(button, () => TTX.post(path, body));
    if (S.state) renderTurnControl(S.state);
    if (answer !== undefined) S.live.refresh();
    return answer;
  }

  async function advance() {
    if (!S.state || S.state.over) return;
    const turn = S.state.turn;
    const answer = await act($('advance'), '/api/advance');
    if (answer !== undefined) {
      TTX.flash('advance-flash', `Turn ${answer && answer.turn ? answer.turn : turn} resolved: the results are on every page.`);
    }
  }

  async function inject() {
    const id = $('inject-select').value;
    if (!id) {
      TTX.showError('Choose an inject to fire first.');
      return;
    }
    const title = $('inject-select').selectedOptions[0] ? $('inject-select').selectedOptions[0].textContent : id;
    const answer = await act($('inject'), '/api/inject', { inject: id });
    if (answer !== undefined) {
      $('inject-select').value = '';
      TTX.flash('inject-flash', `Fired: ${title}.`);
    }
  }

  async function note() {
    const text = $('note-text').value;
    if (!text.trim()) {
      TTX.showError('Write the note first.');
      return;
    }
    const answer = await act($('note'), '/api/note', { text });
    if (answer !== undefined) {
      $('note-text').value = '';
      TTX.flash('note-flash', 'Note added to the report.');
    }
  }

  async function adjudicate(ev) {
    ev.preventDefault();
    const actor = $('adj-actor').value;
    const norm = $('adj-norm').value.trim();
    const scoreText = $('adj-score').value.trim();
    const reason = $('adj-reason').value;
    const replacesText = $('adj-replaces').value.trim();
    if (!actor) {
      TTX.showError('Choose the actor to score.');
      return;
    }
    if (!norm) {
      TTX.showError('Give the norm’s id (for example gge-13b); `cyberttx norms` lists them.');
      return;
    }
    if (!/^[-+−]?\d+$/.test(scoreText)) {
      TTX.showError('The score must be a whole number from -3 to 3.');
      return;
    }
    const body = { actor, norm, score: parseInt(scoreText.replace('−', '-'), 10), reason };
    if (replacesText) {
      if (!/^\d+$/.test(replacesText)) {
        TTX.showError('“Replaces” takes the number of an assessment in the ledger, such as 12.');
        return;
      }
      body.replaces = parseInt(replacesText, 10);
    }
    const answer = await act($('adjudicate'), '/api/adjudicate', body);
    if (answer !== undefined) {
      $('adj-score').value = '';
      $('adj-reason').value = '';
      $('adj-replaces').value = '';
      TTX.flash('adj-flash', answer && answer.number ? `Recorded as assessment #${answer.number}.` : 'Recorded.');
    }
  }

  /** When “replaces” names an assessment, take its actor and norm. */
  function replacesChanged() {
    const n = parseInt($('adj-replaces').value, 10);
    if (!S.state || !Number.isFinite(n)) return;
    const l = (S.state.ledger || []).find((x) => Number(x.number) === n);
    if (!l) return;
    $('adj-actor').value = l.actor;
    $('adj-norm').value = l.norm;
  }

  async function end() {
    if (!S.state || S.state.over) return;
    const ok = window.confirm(
      'End the exercise now?\n\nTeams can no longer submit, and no more turns are played. Notes, adjudications and the report stay available.',
    );
    if (!ok) return;
    const answer = await act($('end'), '/api/end');
    if (answer !== undefined) TTX.flash('advance-flash', 'The exercise has been ended.');
  }

  async function report(ev) {
    ev.preventDefault();
    const link = ev.currentTarget;
    const format = link.dataset.format;
    if (link.getAttribute('aria-disabled') === 'true') return;
    link.setAttribute('aria-disabled', 'true');
    try {
      await TTX.download(`/api/report?format=${encodeURIComponent(format)}`, `cyberttx-report.${format}`);
      TTX.clearError();
      TTX.setText('report-flash', `Downloaded cyberttx-report.${format}.`);
    } catch (e) {
      TTX.showError(e);
    } finally {
      link.removeAttribute('aria-disabled');
    }
  }

  function start() {
    $('advance').addEventListener('click', advance);
    $('inject').addEventListener('click', inject);
    $('note').addEventListener('click', note);
    $('adj-form').addEventListener('submit', adjudicate);
    $('adj-replaces').addEventListener('change', replacesChanged);
    $('end').addEventListener('click', end);
    for (const f of ['html', 'md', 'json', 'csv']) $(`report-${f}`).addEventListener('click', report);
  }

  S.live = TTX.page({
    role: 'facilitator',
    start,
    onState,
    noToken: {
      title: 'Open the facilitator’s link',
      text: 'This console needs the facilitator’s own link, printed when the server started: it ends with #token= followed by a code.',
    },
    otherRole: {
      title: 'This is a team’s link',
      text: 'It opens a team’s page, not the facilitator’s console.',
      path: '/team',
      link: 'Open the team’s page',
    },
    refused: 'This link does not open the facilitator’s console',
  });
})();
