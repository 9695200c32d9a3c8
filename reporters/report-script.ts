// The report page's case matrix, as client script: state (filters, suite, metric, search, open case) kept in
// the URL hash, rows drawn lazily (100 at a time) from the embedded ReportData, keyboard as on the review page.
// Every element is built with createElement / textContent: model text is never parsed as HTML.

/** The matrix part of the page script; `REPORT_DETAIL_SCRIPT` adds `openDetail` / `closeDetail`. */
export const REPORT_MATRIX_SCRIPT = String.raw`
const data = await readReportData()
const FLAGS = { failing: 1, regressed: 2, improved: 4, flaky: 8, disagree: 16, awaiting: 32 }
const KEYS = { a: 'all', x: 'failing', r: 'regressed', y: 'flaky', d: 'disagree' }
const PAGE = 100
const state = { filter: 'all', suite: '', metric: '', q: '', open: '', diff: false, selected: '' }
const view = { matching: [], first: 0, drawn: 0, lastSuite: -1, group: null, haystacks: null, byKey: new Map() }
const $ = (selector) => document.querySelector(selector)
const body = $('#cases')
const number = (value) => value.toLocaleString('en-US')
data.rows.forEach((row, index) => view.byKey.set(row.key, index))

function el(tag, props, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'text') node.textContent = value
    else if (key === 'class') node.className = value
    else node.setAttribute(key, value)
  }
  for (const child of children) if (child !== undefined && child !== null && child !== '') node.append(child)
  return node
}

const fixed = (value) => (value === null || value === undefined ? '\u2014' : value.toFixed(2))
const columnName = (column) => column.metric + (column.variant === undefined ? '' : ' [' + column.variant + ']')

// Columns drawn for a suite: grouped by variant (variants side by side), only the chosen metric's when one is.
function columnsOf(suite) {
  const columns = data.suites[suite].columns.map((column, index) => ({ column, index }))
  const variants = [...new Set(columns.map((each) => each.column.variant))]
  return variants.flatMap((variant) => columns.filter((each) => each.column.variant === variant)).filter((each) => !state.metric || each.column.metric === state.metric)
}

function haystack(index) {
  if (!view.haystacks) view.haystacks = new Array(data.rows.length)
  let text = view.haystacks[index]
  if (text === undefined) {
    const row = data.rows[index]
    text = [row.id, row.input || '', row.expected || '', ...row.outputs.map((output) => output.test + '\n' + (output.output || ''))].join('\n').toLowerCase()
    view.haystacks[index] = text
  }
  return text
}

function hasMetric(row) {
  return data.suites[row.suite].columns.some((column, index) => column.metric === state.metric && row.cells[index])
}

// One pass over the rows: which match, and the count each filter would show given suite, metric and search.
function apply() {
  const suite = state.suite === '' ? -1 : data.suites.findIndex((each) => each.name === state.suite)
  const needle = state.q.trim().toLowerCase()
  const counts = { all: 0, failing: 0, regressed: 0, improved: 0, flaky: 0, disagree: 0, awaiting: 0 }
  const matching = []
  data.rows.forEach((row, index) => {
    if (suite >= 0 && row.suite !== suite) return
    if (state.metric && !hasMetric(row)) return
    if (needle && !haystack(index).includes(needle)) return
    counts.all++
    for (const name in FLAGS) if (row.flags & FLAGS[name]) counts[name]++
    if (state.filter === 'all' || row.flags & FLAGS[state.filter]) matching.push(index)
  })
  matching.sort((a, b) => data.rows[a].suite - data.rows[b].suite || a - b)
  view.matching = matching
  for (const button of document.querySelectorAll('button[data-filter]')) {
    button.setAttribute('aria-pressed', String(button.dataset.filter === state.filter))
    button.querySelector('.count').textContent = number(counts[button.dataset.filter])
  }
  $('#shown').textContent = number(matching.length) + ' of ' + number(data.rows.length) + ' cases'
  body.replaceChildren()
  view.first = 0
  view.drawn = 0
  view.lastSuite = -1
  view.group = null
  $('#earlier').hidden = true
  drawMore()
  $('#empty').hidden = matching.length > 0
}

// A suite's own table (its columns differ from other suites'), scrolling sideways in its own box.
function suiteTable(suite) {
  const group = el('tbody')
  body.append(el('div', { class: 'wrap' }, el('table', { class: 'suite', 'data-suite': data.suites[suite].name }, el('thead', {}, ...suiteHeader(suite)), group)))
  return group
}

function suiteHeader(suite) {
  const columns = columnsOf(suite)
  const count = view.matching.filter((index) => data.rows[index].suite === suite).length
  const span = columns.length + 2
  const head = el('tr', { class: 'suite-head' }, el('th', { colspan: span }, el('span', { text: data.suites[suite].name }), el('span', { class: 'sub', text: ' ' + number(count) + (count === 1 ? ' case' : ' cases') })))
  // Variants side by side: a row naming each variant over its metrics, a rule between variants.
  const groups = []
  for (const each of columns) {
    if (groups.length && groups[groups.length - 1].variant === each.column.variant) groups[groups.length - 1].span++
    else groups.push({ variant: each.column.variant, span: 1 })
  }
  const rows = [head]
  if (groups.some((group) => group.variant !== undefined)) rows.push(el('tr', { class: 'variants' }, el('th'), ...groups.map((group) => el('th', { colspan: group.span, class: 'vstart', text: group.variant === undefined ? '' : group.variant })), el('th')))
  rows.push(el('tr', { class: 'cols' }, el('th', { text: 'case' }), ...columns.map((each, at) => el('th', { class: 'num' + (startsVariant(columns, at) ? ' vstart' : ''), title: columnName(each.column), text: each.column.metric })), el('th', { text: 'flags' })))
  return rows
}

function startsVariant(columns, at) {
  return at > 0 && columns[at].column.variant !== columns[at - 1].column.variant
}

function delta(cell) {
  if (cell.score === null || cell.before === undefined || Math.abs(cell.score - cell.before) < 1e-9) return null
  const change = cell.score - cell.before
  return el('span', { class: 'delta ' + (change < 0 ? 'bad' : 'good'), title: 'was ' + cell.before.toFixed(3) }, (change < 0 ? '\u2212' : '+') + Math.abs(change).toFixed(2) + ' from ' + cell.before.toFixed(2))
}

function trials(cell) {
  if (!(cell.trials > 1) || cell.passes === undefined) return null
  const strip = el('span', { class: 'trials', title: cell.passes + ' of ' + cell.trials + ' trials passed' })
  const shown = Math.min(cell.trials, 10)
  const passes = Math.round((cell.passes / cell.trials) * shown)
  for (let at = 0; at < shown; at++) strip.append(el('i', { class: at < passes ? 'p' : 'f' }))
  return strip
}

function scoreCell(cell, column, first) {
  const rule = first ? ' vstart' : ''
  if (!cell) return el('td', { class: 'cell none' + rule, text: '' })
  const kind = (cell.score === null ? 'awaiting' : cell.pass ? 'pass' : 'fail') + rule
  const title = columnName(column) + ': ' + (cell.score === null ? 'awaiting a human label' : cell.score.toFixed(3) + (cell.pass ? ' pass' : ' fail')) + (cell.before === undefined ? '' : ' (was ' + cell.before.toFixed(3) + ')')
  return el('td', { class: 'cell ' + kind, title }, el('span', { class: 'score', text: fixed(cell.score) }), delta(cell), trials(cell))
}

function flagTags(row) {
  const td = el('td', { class: 'flags' })
  for (const name of ['failing', 'regressed', 'improved', 'flaky', 'disagree', 'awaiting']) if (row.flags & FLAGS[name]) td.append(el('span', { class: 'tag ' + name, text: name }))
  return td
}

function caseRow(index) {
  const row = data.rows[index]
  const test = row.outputs.length && row.outputs[0].test !== row.id ? row.outputs[0].test : ''
  const tr = el('tr', { class: 'case', 'data-key': row.key, 'data-index': index, tabindex: '-1', 'aria-expanded': 'false', 'aria-selected': String(state.selected === row.key) },
    el('td', { class: 'id' }, el('div', { text: row.id }), test ? el('div', { class: 'sub', text: test }) : null),
    ...columnsOf(row.suite).map((each, at, columns) => scoreCell(row.cells[each.index], each.column, startsVariant(columns, at))),
    flagTags(row))
  return tr
}

function drawMore(until) {
  const end = Math.min(view.matching.length, Math.max(view.drawn + PAGE, until === undefined ? 0 : until + 1))
  let fragment = document.createDocumentFragment()
  for (; view.drawn < end; view.drawn++) {
    const index = view.matching[view.drawn]
    const suite = data.rows[index].suite
    if (suite !== view.lastSuite) {
      if (view.group) view.group.append(fragment)
      fragment = document.createDocumentFragment()
      view.group = suiteTable(suite)
    }
    view.lastSuite = suite
    fragment.append(caseRow(index))
  }
  if (view.group) view.group.append(fragment)
  const rest = view.matching.length - view.drawn
  $('#more').hidden = rest === 0
  $('#more').textContent = 'show ' + number(Math.min(rest, PAGE)) + ' more (' + number(rest) + ' not shown)'
  if (state.open && !body.querySelector('tr.case-detail')) {
    const tr = rowElement(state.open)
    if (tr) openDetail(tr, state.diff)
  }
}

function rowElement(key) {
  for (const tr of body.querySelectorAll('tr.case')) if (tr.dataset.key === key) return tr
  return null
}

// Makes a row drawn (drawing more when it is a little further down), or returns null when the filters hide it.
// A row far down starts the drawing at itself (drawing the thousands before it froze the page for seconds);
// #earlier then draws from the top again.
function ensureRow(key) {
  const index = view.byKey.get(key)
  const at = view.matching.indexOf(index)
  if (at < 0) return null
  if (at < view.first || at >= view.drawn + 5 * PAGE) {
    body.replaceChildren()
    Object.assign(view, { first: at, drawn: at, lastSuite: -1, group: null })
    $('#earlier').hidden = false
    $('#earlier').textContent = 'show the ' + number(at) + (at === 1 ? ' case' : ' cases') + ' before'
    drawMore()
  } else if (at >= view.drawn) drawMore(at)
  return rowElement(key)
}
`
