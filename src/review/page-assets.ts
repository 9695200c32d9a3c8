// The review page: static HTML, CSS and script, served as separate files so the CSP needs no 'unsafe-inline'.
// The script builds every element with textContent: model output, inputs, reasons and notes are never parsed as HTML.
import { TRAJECTORY_CSS, TRAJECTORY_JS } from './page-trajectory.js'

/** The page shell. */
export const REVIEW_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>llm-evals review</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<header>
  <h1>Review</h1><span id="run"></span>
  <nav id="filters" aria-label="filters">
    <button data-filter="all" aria-pressed="true">all <kbd>a</kbd></button>
    <button data-filter="failing">failing <kbd>x</kbd></button>
    <button data-filter="unlabelled">unlabelled <kbd>u</kbd></button>
    <button data-filter="disagree">disagreements <kbd>d</kbd></button>
    <button data-filter="flaky">flaky <kbd>y</kbd></button>
  </nav>
  <span id="shown"></span>
</header>
<div id="problems" hidden></div>
<div id="legacy-labels" hidden></div>
<main>
  <table id="rows"><thead><tr><th>case</th><th>metric</th><th>score</th><th>verdict</th><th>human</th></tr></thead><tbody></tbody></table>
  <section id="detail" aria-live="polite"></section>
</main>
<section id="agreement"></section>
<footer id="keys"></footer>
<div id="toast" role="status" hidden></div>
</body>
</html>
`

/** Styles. */
export const REVIEW_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { display: flex; gap: 16px; align-items: center; padding: 10px 16px; background: #fff; border-bottom: 1px solid #dde1e7; }
h1 { font-size: 18px; margin: 0; }
#run, #shown { color: #5b6472; }
nav button { border: 1px solid #c9ced6; background: #fff; border-radius: 4px; padding: 3px 8px; cursor: pointer; }
nav button[aria-pressed="true"] { background: #1d2330; color: #fff; }
kbd { font: 11px ui-monospace, monospace; border: 1px solid #c9ced6; border-radius: 3px; padding: 0 3px; color: inherit; opacity: .8; }
main { display: grid; grid-template-columns: minmax(360px, 42%) 1fr; gap: 16px; padding: 16px; }
table { border-collapse: collapse; width: 100%; background: #fff; align-self: start; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
td.num { font-variant-numeric: tabular-nums; }
tr.row { cursor: pointer; }
tr.row[aria-selected="true"] { background: #e8f0ff; outline: 2px solid #3b6fd8; }
.sub { color: #5b6472; font-size: 12px; }
.trial { font-size: 12px; color: #3b4a6b; }
.pass { color: #137333; } .fail { color: #b3261e; } .stale { color: #8a6d00; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; background: #eceef2; font-size: 12px; }
.badge.disagree { background: #fde2e1; color: #b3261e; }
#detail { background: #fff; padding: 12px 16px; border: 1px solid #dde1e7; border-radius: 6px; min-height: 200px; }
#detail h2 { font-size: 15px; margin: 0 0 6px; }
#detail h3 { font-size: 12px; text-transform: uppercase; color: #5b6472; margin: 14px 0 4px; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f7f9; padding: 8px; border-radius: 4px; margin: 0; max-height: 320px; overflow: auto; }
textarea { width: 100%; box-sizing: border-box; min-height: 48px; font: inherit; }
.labels button { margin-right: 6px; }
#agreement { padding: 0 16px 16px; }
#agreement table { width: auto; margin: 6px 0 14px; }
#problems, #legacy-labels { margin: 8px 16px; padding: 8px 12px; background: #fff4ce; border: 1px solid #e6c200; white-space: pre-wrap; }
#toast { position: fixed; bottom: 16px; right: 16px; background: #1d2330; color: #fff; padding: 8px 12px; border-radius: 4px; }
footer { padding: 0 16px 16px; color: #5b6472; }
${TRAJECTORY_CSS}`

/** Behaviour: load the state, render rows and the selected case, label by keyboard or buttons. */
export const REVIEW_JS = String.raw`
const state = { rows: [], classes: [], filter: 'all', selected: -1 }
const $ = (selector) => document.querySelector(selector)

function el(tag, props, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'text') node.textContent = value
    else if (key === 'class') node.className = value
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
    else node.setAttribute(key, value)
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child)
  return node
}

function visible(row) {
  if (state.filter === 'failing') return !row.pass
  if (state.filter === 'unlabelled') return !row.label || row.label.stale
  if (state.filter === 'disagree') return row.disagrees
  if (state.filter === 'flaky') return row.flaky
  return true
}

function shownRows() { return state.rows.filter(visible) }

// A case run several times shows each trial as its own row: its own output, score and label.
function trialText(row) { return row.trial === undefined ? '' : 'trial ' + row.trial + ' of ' + row.trials }

// What the page showed of a row (trial, suite, output hash): the server refuses a label once a newer run changed it.
function shownRow(row) {
  return { ...(row.trial === undefined ? {} : { trial: row.trial }), suite: row.suite, ...(row.outputHash === undefined ? {} : { outputHash: row.outputHash }) }
}

function labelText(label) {
  if (!label) return ''
  return String(label.label) + (label.stale ? ' (stale)' : '')
}

// A label: row graded before anyone labelled the case: no score yet, only the grader's label to compare.
function awaiting(row) { return row.awaitingLabel === true }
function verdictClass(row) { return awaiting(row) ? 'awaiting' : row.pass ? 'pass' : 'fail' }
function verdictText(row) {
  if (!awaiting(row)) return row.pass ? 'pass' : 'fail'
  const graded = row.automatedLabel === undefined ? '' : ' (graded ' + row.automatedLabel + ')'
  return (row.label ? 'labelled after the run' : 'awaiting label') + graded
}

function renderRows() {
  const body = $('#rows tbody')
  body.replaceChildren()
  const rows = shownRows()
  for (const row of rows) {
    const verdict = el('td', { class: verdictClass(row), text: verdictText(row) })
    const human = el('td', { class: row.label && row.label.stale ? 'stale' : '' })
    if (row.label) human.append(el('span', { class: 'badge' + (row.disagrees ? ' disagree' : ''), text: labelText(row.label) }))
    const tr = el('tr', { class: 'row', 'data-id': String(row.id), 'aria-selected': String(row.id === state.selected), onclick: () => select(row.id) },
      el('td', {}, el('div', { text: row.caseId }), row.trial === undefined ? null : el('div', { class: 'trial', text: trialText(row) }), el('div', { class: 'sub', text: row.suite })),
      el('td', { text: row.metric }),
      el('td', { class: 'num', text: awaiting(row) ? '\u2014' : row.score.toFixed(3) }),
      verdict, human)
    body.append(tr)
  }
  $('#shown').textContent = rows.length + ' of ' + state.rows.length + ' rows'
  for (const button of document.querySelectorAll('#filters button')) button.setAttribute('aria-pressed', String(button.dataset.filter === state.filter))
}

function section(title, content) {
  return content === undefined || content === null || content === '' ? null : el('div', {}, el('h3', { text: title }), el('pre', { text: content }))
}

function renderDetail() {
  const detail = $('#detail')
  detail.replaceChildren()
  const row = state.rows.find((each) => each.id === state.selected)
  if (!row) { detail.append(el('p', { text: 'No row selected. Use j / k to move.' })); return }
  detail.append(
    el('h2', { text: row.caseId + ' \u00b7 ' + row.metric + (row.trial === undefined ? '' : ' \u00b7 ' + trialText(row)) }),
    el('div', { class: 'sub', text: row.test }),
    el('p', {}, 'score ', el('strong', { text: awaiting(row) ? '\u2014' : row.score.toFixed(3) }), row.threshold === undefined ? '' : ' (threshold ' + row.threshold + ')', ' \u00b7 ',
      el('span', { class: verdictClass(row), text: verdictText(row) }), row.flaky ? ' \u00b7 flaky' : '', row.judge ? ' \u00b7 judge ' + row.judge : ''),
    ...[section('Input', row.input), section(row.trial === undefined ? 'Output' : 'Output of ' + trialText(row), row.output === undefined ? (row.trial === undefined ? '(no output recorded: set task.meta.output)' : '(this trial\'s output was not kept)') : row.output), section('Judge reasoning / reasons', row.reason)].filter(Boolean))
  // An agent case: what it did and said, so the label below judges the whole trajectory.
  if (row.conversation) detail.append(el('h3', { text: 'Conversation (' + row.conversation.turns.length + ' turns; label a turn with its buttons)' }), conversationView(row))
  if (row.trace) detail.append(el('h3', { text: 'Trace (' + row.trace.steps.length + ' steps)' }), traceView(row.trace))
  const current = row.label ? 'Human: ' + labelText(row.label) + (row.label.by ? ' by ' + row.label.by : '') + ' at ' + row.label.at : 'Not labelled yet.'
  const buttons = el('div', { class: 'labels' },
    el('button', { onclick: () => save(row, 'pass') }, 'pass ', el('kbd', { text: 'p' })),
    el('button', { onclick: () => save(row, 'fail') }, 'fail ', el('kbd', { text: 'f' })))
  const choices = state.classes.length ? state.classes : ['1', '2', '3', '4', '5']
  choices.forEach((choice, index) => buttons.append(el('button', { onclick: () => save(row, classValue(index)) }, choice + ' ', el('kbd', { text: String(index + 1) }))))
  const note = el('textarea', { id: 'note', placeholder: 'Note (n to focus, Enter to save, Esc to leave)' })
  note.value = row.label && row.label.note ? row.label.note : ''
  note.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      if (!row.label) { toast('Pick a label first, then add the note.'); return }
      save(row, row.label.label, note.value, false)
      note.blur()
    } else if (event.key === 'Escape') note.blur()
  })
  detail.append(el('h3', { text: (row.conversation || row.trace ? 'Human label (the whole trajectory)' : 'Human label') + (row.trial === undefined ? '' : ' of ' + trialText(row)) }), el('p', { class: row.label && row.label.stale ? 'stale' : '', text: current }), buttons, note)
}

function classValue(index) {
  return state.classes.length ? state.classes[index] : index + 1
}

function fmt(value) { return value === null || value === undefined ? '\u2014' : value.toFixed(3) }

function renderAgreement(agreement) {
  const target = $('#agreement')
  target.replaceChildren(el('h2', { text: 'Judge-human agreement (current labels)' }))
  if (!agreement.length) { target.append(el('p', { class: 'sub', text: 'No labelled rows yet.' })); return }
  for (const item of agreement) {
    target.append(el('h3', { text: item.metric + (item.skipped ? ' (' + item.skipped + ' labels not counted)' : '') }))
    if (item.ranks) { target.append(el('p', { text: 'n ' + item.ranks.n + ' \u00b7 Spearman ' + fmt(item.ranks.spearman) + ' \u00b7 Kendall tau-b ' + fmt(item.ranks.kendallTauB) })); continue }
    const stats = item.stats
    const accuracy = stats.accuracy ? fmt(stats.accuracy.value) + ' [' + fmt(stats.accuracy.low) + ', ' + fmt(stats.accuracy.high) + ']' : '\u2014'
    const failures = stats.failures || {}
    // On an ordinal scale (1..N) near misses count as partial agreement, as in the terminal and HTML reports.
    const kappa = item.ordinal ? 'quadratic-weighted kappa ' + fmt(stats.weightedKappa ? stats.weightedKappa.quadratic : null) : 'kappa ' + fmt(stats.kappa)
    target.append(el('p', { class: 'stats', text: 'n ' + stats.n + ' \u00b7 accuracy ' + accuracy + ' \u00b7 ' + kappa + ' \u00b7 failure recall ' + fmt(failures.failureRecall) + ' \u00b7 false-failure rate ' + fmt(failures.falseFailureRate) + ' \u00b7 MCC ' + fmt(failures.mcc) }))
    const table = el('table', { class: 'confusion' }, el('tr', {}, el('th', { text: 'human \\ grader' }), ...stats.confusion.labels.map((label) => el('th', { text: String(label) }))))
    stats.confusion.counts.forEach((counts, index) => table.append(el('tr', {}, el('th', { text: String(stats.confusion.labels[index]) }), ...counts.map((count) => el('td', { class: 'num', text: String(count) })))))
    target.append(table)
  }
}

function render() { renderRows(); renderDetail() }

function select(id) {
  state.selected = id
  render()
  const row = document.querySelector('tr.row[aria-selected="true"]')
  if (row) row.scrollIntoView({ block: 'nearest' })
}

function move(step) {
  const rows = shownRows()
  if (!rows.length) return
  const index = rows.findIndex((row) => row.id === state.selected)
  const next = rows[Math.min(rows.length - 1, Math.max(0, index === -1 ? 0 : index + step))]
  select(next.id)
}

function toast(text) {
  const node = $('#toast')
  node.textContent = text
  node.hidden = false
  clearTimeout(toast.timer)
  toast.timer = setTimeout(() => { node.hidden = true }, 2500)
}

async function save(row, label, note, advance = true) {
  const noteText = note !== undefined ? note : (document.querySelector('#note') || {}).value || ''
  const response = await fetch('/api/labels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: row.id, caseId: row.caseId, metric: row.metric, label, note: noteText, ...shownRow(row) }) })
  const body = await response.json()
  if (!response.ok) { toast(body.error || 'Could not save the label.'); return }
  await load(false)
  toast('Saved ' + row.caseId + (row.trial === undefined ? '' : ' (' + trialText(row) + ')') + ': ' + label)
  if (advance) move(1)
}

function setFilter(filter) {
  state.filter = filter
  const rows = shownRows()
  if (!rows.some((row) => row.id === state.selected)) state.selected = rows.length ? rows[0].id : -1
  render()
}

async function load(first) {
  const response = await fetch('/api/state')
  const data = await response.json()
  state.rows = data.rows
  state.classes = data.classes
  $('#run').textContent = data.run ? 'run ' + data.run.id + ' \u00b7 ' + data.run.time + (data.run.branch ? ' \u00b7 ' + data.run.branch : '') + ' \u00b7 labels: ' + data.labelsFile : 'No run in the history file yet: run your evals first.'
  const problems = $('#problems')
  problems.hidden = !data.problems.length
  problems.textContent = data.problems.length ? 'Lines of the labels file that cannot be read (left as they are):\n' + data.problems.join('\n') : ''
  const legacy = $('#legacy-labels')
  legacy.hidden = !data.legacyNotice
  legacy.textContent = data.legacyNotice || ''
  if (first && state.rows.length) state.selected = state.rows[0].id
  renderAgreement(data.agreement)
  render()
}

const keys = { j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
  a: () => setFilter('all'), x: () => setFilter('failing'), u: () => setFilter('unlabelled'), d: () => setFilter('disagree'), y: () => setFilter('flaky') }

document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLTextAreaElement || event.ctrlKey || event.metaKey || event.altKey) return
  const row = state.rows.find((each) => each.id === state.selected)
  if (keys[event.key]) { event.preventDefault(); keys[event.key](); return }
  if (!row) return
  if (event.key === 'p') save(row, 'pass')
  else if (event.key === 'f') save(row, 'fail')
  else if (event.key === 'n') { event.preventDefault(); document.querySelector('#note').focus() }
  else if (/^[1-9]$/.test(event.key)) {
    const index = Number(event.key) - 1
    if (!state.classes.length || index < state.classes.length) save(row, classValue(index))
  }
})

for (const button of document.querySelectorAll('#filters button')) button.addEventListener('click', () => setFilter(button.dataset.filter))
$('#keys').textContent = 'Keys: j/k or arrows move \u00b7 p pass \u00b7 f fail \u00b7 1-9 class or score \u00b7 n note \u00b7 a x u d y filters'
load(true)
${TRAJECTORY_JS}`
