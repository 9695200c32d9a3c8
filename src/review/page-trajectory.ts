// The review page's view of an agent case: its trace (steps, tool calls with arguments and results) and its
// conversation as a transcript, each turn with its own pass / fail label. Part of the page's script, so it
// builds every element with textContent like the rest: tool and model text is never parsed as HTML.

/** Styles of the trace and transcript. */
export const TRAJECTORY_CSS = `
ol.steps, ol.turns, ol.calls { margin: 4px 0; padding-left: 20px; }
li.step, li.turn { margin-bottom: 10px; }
.step-head, .who { font-size: 12px; font-weight: 600; color: #3b4350; margin: 4px 0 2px; }
ol.calls pre, ol.turns pre { max-height: 200px; }
pre.error { background: #fde2e1; }
code.tool { font-weight: 600; }
.turn-label { margin-top: 4px; font-size: 12px; }
.turn-label button { font-size: 12px; margin-left: 4px; }
`

/** Script: `traceView(trace)`, `conversationView(row)` and `saveTurn(row, turn, label)`; uses the page's `el`, `labelText`, `load` and `toast`. */
export const TRAJECTORY_JS = String.raw`
function plural(count, word) { return count + ' ' + word + (count === 1 ? '' : 's') }

function stepFacts(step) {
  const count = (value) => (value || 0).toLocaleString('en-US')
  const tokens = step.usage ? count(step.usage.inputTokens) + ' in / ' + count(step.usage.outputTokens) + ' out tokens' : ''
  const latency = step.latencyMs === undefined ? '' : Math.round(step.latencyMs) + ' ms'
  const parallel = step.toolCalls.length > 1 ? step.toolCalls.length + ' calls in parallel' : ''
  return [step.model || step.provider || '', tokens, latency, parallel].filter(Boolean).join(' \u00b7 ')
}

function toolCallView(call) {
  const item = el('li', { class: 'call' }, el('code', { class: 'tool', text: call.name }), call.id ? el('span', { class: 'sub', text: ' ' + call.id }) : null, el('pre', { class: 'args', text: call.args }))
  if (call.argsError !== undefined) item.append(el('div', { class: 'sub', text: 'arguments are not valid JSON: ' + call.argsError }))
  if (call.error !== undefined) item.append(el('div', { class: 'sub', text: 'error' }), el('pre', { class: 'error', text: call.error }))
  else if (call.result !== undefined) item.append(el('div', { class: 'sub', text: 'result' }), el('pre', { class: 'result', text: call.result }))
  else item.append(el('div', { class: 'sub', text: 'no result seen' }))
  return item
}

function traceView(trace) {
  const list = el('ol', { class: 'steps' })
  trace.steps.forEach((step, index) => {
    const facts = stepFacts(step)
    const item = el('li', { class: 'step' }, el('div', { class: 'step-head', text: 'step ' + (index + 1) + (facts ? ' \u00b7 ' + facts : '') }))
    if (step.text) item.append(el('pre', { class: 'text', text: step.text }))
    if (step.toolCalls.length) item.append(el('ol', { class: 'calls' }, ...step.toolCalls.map(toolCallView)))
    list.append(item)
  })
  const omitted = trace.omitted ? [trace.omitted.steps ? plural(trace.omitted.steps, 'step') : '', trace.omitted.toolCalls ? plural(trace.omitted.toolCalls, 'tool call') : ''].filter(Boolean).join(' and ') : ''
  return el('div', { class: 'trace' }, list, omitted ? el('p', { class: 'sub', text: 'Left out to keep the history small: ' + omitted + '.' }) : null)
}

function conversationView(row) {
  const conversation = row.conversation
  const list = el('ol', { class: 'turns' })
  conversation.turns.forEach((turn, index) => {
    const number = index + 1
    const label = row.turnLabels ? row.turnLabels[String(number)] : undefined
    const labelLine = el('div', { class: 'turn-label' },
      el('span', { class: label && label.stale ? 'stale' : '', text: label ? 'turn label: ' + labelText(label) : 'turn not labelled' }),
      el('button', { 'data-turn': String(number), onclick: () => saveTurn(row, number, 'pass') }, 'pass'),
      el('button', { 'data-turn': String(number), onclick: () => saveTurn(row, number, 'fail') }, 'fail'))
    list.append(el('li', { class: 'turn' },
      el('div', { class: 'who', text: 'turn ' + number + ' \u00b7 user' }), el('pre', { class: 'user', text: turn.user }),
      el('div', { class: 'who', text: 'assistant' }), el('pre', { class: 'assistant', text: turn.assistant }),
      turn.tools && turn.tools.length ? el('div', { class: 'sub', text: 'tools: ' + turn.tools.join(', ') }) : null,
      labelLine))
  })
  const omitted = conversation.omittedTurns ? el('p', { class: 'sub', text: 'Later ' + plural(conversation.omittedTurns, 'turn') + ' left out to keep the history small.' }) : null
  const ended = conversation.ended ? el('p', { class: 'sub', text: 'Ended: ' + conversation.ended.reason + ' after ' + plural(conversation.ended.turns, 'turn') + '.' }) : null
  return el('div', { class: 'conversation' }, list, omitted, ended)
}

async function saveTurn(row, turn, label) {
  const response = await fetch('/api/labels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: row.id, caseId: row.caseId, metric: row.metric, turn, label, ...shownRow(row) }) })
  const body = await response.json()
  if (!response.ok) { toast(body.error || 'Could not save the label.'); return }
  await load(false)
  toast('Saved turn ' + turn + ' of ' + row.caseId + ': ' + label)
}
`
