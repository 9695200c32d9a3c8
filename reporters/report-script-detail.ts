// The report page's opened case, as client script: input, expected, each output (variants side by side) with
// a word diff against the compared run's output (jsdiff's `Diff`, computed when opened, bounded by a timeout),
// each cell's reasoning, and the trace / conversation templates, cloned (never parsed from data).

import { groupThousands } from '../src/format-number.js'
import { MAX_REPORT_TRIAL_OUTPUT_CHARS } from './report-outputs.js'

// The limit is written into the script when this module loads: grouped without Intl, whose first use loads ICU's
// locale data into the main process (~6 MiB resident, issue 17, BENCHMARKS.md).
const SHOWN_OUTPUT_LIMIT = groupThousands(MAX_REPORT_TRIAL_OUTPUT_CHARS)

/** The detail part of the page script: `openDetail(tr, diff)` / `closeDetail()`, used by the matrix and the controls. */
export const REPORT_DETAIL_SCRIPT = String.raw`
function block(title, text, className) {
  if (text === undefined || text === null || text === '') return null
  return el('div', { class: 'block' }, el('h4', { text: title }), el('pre', { class: className, text }))
}

// The word diff of two texts; null when jsdiff is missing or gave up (timeout): the caller shows both texts.
function wordDiff(before, after) {
  if (!window.Diff) return null
  const parts = window.Diff.diffWordsWithSpace(before, after, { timeout: 100 })
  if (!parts) return null
  const pre = el('pre', { class: 'diff' })
  for (const part of parts) pre.append(part.added ? el('ins', { text: part.value }) : part.removed ? el('del', { text: part.value }) : document.createTextNode(part.value))
  return pre
}

function diffView(output) {
  const diff = wordDiff(output.previous, output.output || '')
  if (diff) return diff
  return el('div', { class: 'diff side' }, el('p', { class: 'sub', text: 'Too different to compare word by word in time: both outputs in full.' }),
    el('div', { class: 'pair' }, block('before', output.previous), block('after', output.output || '')))
}

// A repeated test's kept trials, each where its own verdicts and human labels are: its output, and per metric its
// score, grader's label, human label and reasons. The kept trace is the last trial's (each trial replaces it).
function trialsView(output, row) {
  const columns = data.suites[row.suite].columns
  const last = output.trials[output.trials.length - 1]
  const list = el('div', { class: 'trial-list' })
  for (const shown of output.trials) {
    const facts = []
    let total
    columns.forEach((column, index) => {
      const cell = row.cells[index]
      if (!cell || !cell.trialResults || column.variant !== output.variant) return
      const trial = cell.trialResults.find((each) => each.trial === shown.trial)
      if (!trial) return
      total = cell.trials
      let fact = columnName(column) + ': score ' + trial.score.toFixed(3) + (trial.pass ? ' pass' : ' fail')
      if (trial.automatedLabel !== undefined) fact += ' \u00b7 graded ' + trial.automatedLabel
      if (trial.humanLabel !== undefined) fact += ' \u00b7 human label ' + trial.humanLabel + (trial.disagree ? ' (disagrees)' : '')
      facts.push(el('div', { class: 'sub', text: fact }), trial.reason === undefined ? null : el('pre', { text: trial.reason }))
    })
    const box = el('div', { class: 'trial', 'data-trial': String(shown.trial) }, el('h5', { text: 'trial ' + shown.trial + (total ? ' of ' + total : '') }), ...facts,
      shown.output === undefined ? (shown.omitted ? el('div', { class: 'sub', text: '(output left out of this page, which keeps up to ${SHOWN_OUTPUT_LIMIT} characters of trial outputs: llm-evals review shows it)' }) : null) : el('pre', { class: 'text', text: shown.output }))
    if (shown === last) box.append(...trajectory(output.trajectory))
    list.append(box)
  }
  return list
}

function outputView(output, several, withDiff, row) {
  const box = el('div', { class: 'output' }, el('h4', { text: several ? (output.variant === undefined ? output.test : output.variant) : 'output' }))
  if (several && output.variant !== undefined) box.append(el('div', { class: 'sub', text: output.test }))
  box.append(el('pre', { class: 'text', text: output.output === undefined ? '(no output recorded: set task.meta.output)' : output.output }))
  if (output.previous !== undefined) {
    const holder = el('div', { class: 'diff-holder' })
    const toggle = el('button', { class: 'diff-toggle', type: 'button', 'aria-pressed': 'false', text: 'diff vs ' + (output.previousFrom || 'previous') })
    const show = (on) => {
      toggle.setAttribute('aria-pressed', String(on))
      holder.replaceChildren()
      if (on) holder.append(diffView(output))
    }
    toggle.addEventListener('click', () => {
      const on = toggle.getAttribute('aria-pressed') !== 'true'
      show(on)
      state.diff = on
      writeHash()
    })
    box.append(toggle, holder)
    if (withDiff) show(true)
  }
  if (output.trials && output.trials.length) box.append(trialsView(output, row))
  else box.append(...trajectory(output.trajectory))
  return box
}

// A test's trace and conversation are stored once, in a template (a section.trace and/or section.conversation,
// each with an h4 summary), and copied into a closed-by-default details when opened.
function trajectory(id) {
  const template = id ? document.getElementById(id) : null
  if (!template || !template.content) return []
  return [...template.content.children].filter((child) => child.tagName === 'SECTION').map((section) => {
    const heading = section.querySelector(':scope > h4')
    const details = el('details', { class: section.className }, el('summary', { text: heading ? heading.textContent : section.className }))
    details.addEventListener('toggle', () => {
      if (!details.open || details.dataset.filled) return
      details.dataset.filled = 'true'
      const copy = section.cloneNode(true)
      const title = copy.querySelector(':scope > h4')
      if (title) title.remove()
      details.append(...copy.childNodes)
    })
    return details
  })
}

function reasonView(row) {
  const list = el('div', { class: 'reasons' })
  data.suites[row.suite].columns.forEach((column, index) => {
    const cell = row.cells[index]
    if (!cell) return
    const facts = [cell.score === null ? 'awaiting a human label' : 'score ' + cell.score.toFixed(3) + (cell.pass ? ' pass' : ' fail')]
    if (cell.before !== undefined) facts.push('was ' + cell.before.toFixed(3))
    if (cell.threshold !== undefined) facts.push('threshold ' + cell.threshold)
    if (cell.trials > 1) facts.push((cell.passes === undefined ? '' : cell.passes + ' of ') + cell.trials + ' trials passed' + (cell.flaky ? ' (flaky)' : ''))
    if (cell.judge) facts.push('judge ' + cell.judge)
    if (cell.automatedLabel !== undefined) facts.push('graded ' + cell.automatedLabel)
    if (cell.humanLabel !== undefined) facts.push('human label ' + cell.humanLabel + (cell.disagree ? ' (disagrees)' : ''))
    list.append(el('div', { class: 'reason ' + (cell.score === null ? 'awaiting' : cell.pass ? 'pass' : 'fail') }, el('h4', { text: columnName(column) }), el('div', { class: 'sub', text: facts.join(' \u00b7 ') }), cell.reason === undefined ? null : el('pre', { text: cell.reason })))
  })
  return list
}

function closeDetail() {
  for (const open of body.querySelectorAll('tr.case-detail')) open.remove()
  for (const tr of body.querySelectorAll('tr.case[aria-expanded="true"]')) tr.setAttribute('aria-expanded', 'false')
}

function openDetail(tr, withDiff) {
  closeDetail()
  const row = data.rows[Number(tr.dataset.index)]
  tr.setAttribute('aria-expanded', 'true')
  const several = row.outputs.length > 1
  const detail = el('div', { class: 'detail' },
    el('div', { class: 'pair' }, block('input', row.input), block('expected', row.expected)),
    el('div', { class: 'outputs' + (several ? ' several' : '') }, ...row.outputs.map((output) => outputView(output, several, withDiff, row))),
    reasonView(row))
  tr.after(el('tr', { class: 'case-detail' }, el('td', { colspan: tr.children.length }, detail)))
}
`
