// The report page's controls, as client script: filters, suite and metric selects, debounced search, the URL
// hash (restored on load and on hashchange), the first screen's `[data-case]` links, keyboard, lazy drawing.

/** The controls part of the page script; it runs last and marks the page ready. */
export const REPORT_CONTROLS_SCRIPT = String.raw`
function readHash() {
  const params = new URLSearchParams(location.hash.slice(1))
  const filter = params.get('filter')
  // Own keys only: constructor or __proto__ are "in" FLAGS too, and would filter out every case.
  state.filter = filter && Object.hasOwn(FLAGS, filter) ? filter : 'all'
  state.suite = params.get('suite') || ''
  state.metric = params.get('metric') || ''
  state.q = params.get('q') || ''
  state.open = params.get('case') || ''
  state.diff = params.get('diff') === '1'
  if (state.open) state.selected = state.open
  $('#search').value = state.q
  $('#suite').value = state.suite
  if ($('#suite').value !== state.suite) state.suite = $('#suite').value
  $('#metric').value = state.metric
  if ($('#metric').value !== state.metric) state.metric = $('#metric').value
}

function writeHash() {
  const params = new URLSearchParams()
  if (state.filter !== 'all') params.set('filter', state.filter)
  if (state.suite) params.set('suite', state.suite)
  if (state.metric) params.set('metric', state.metric)
  if (state.q) params.set('q', state.q)
  if (state.open) params.set('case', state.open)
  if (state.open && state.diff) params.set('diff', '1')
  const hash = params.toString()
  if (hash !== location.hash.slice(1)) history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search)
}

// Opens the case named in the state (drawing it, scrolling it into view); false when the filters hide it.
function showOpen() {
  if (!state.open) return true
  const tr = ensureRow(state.open)
  if (!tr) return false
  openDetail(tr, state.diff)
  select(tr, false)
  tr.scrollIntoView({ block: 'start' })
  return true
}

function restore() {
  readHash()
  apply()
  if (!showOpen()) {
    // A link to a case the filters hide: show every case of it instead.
    Object.assign(state, { filter: 'all', suite: '', metric: '', q: '' })
    $('#search').value = ''
    $('#suite').value = ''
    $('#metric').value = ''
    apply()
    showOpen()
  }
}

function select(tr, focus) {
  for (const other of body.querySelectorAll('tr.case[aria-selected="true"]')) other.setAttribute('aria-selected', 'false')
  if (!tr) return
  tr.setAttribute('aria-selected', 'true')
  state.selected = tr.dataset.key
  if (focus) {
    tr.focus({ preventScroll: true })
    tr.scrollIntoView({ block: 'nearest' })
  }
}

function toggle(tr) {
  if (tr.getAttribute('aria-expanded') === 'true') {
    closeDetail()
    state.open = ''
  } else {
    state.open = tr.dataset.key
    state.diff = false
    openDetail(tr, false)
  }
  select(tr, false)
  writeHash()
}

function move(step) {
  const rows = [...body.querySelectorAll('tr.case')]
  const at = rows.findIndex((tr) => tr.dataset.key === state.selected)
  let next = at < 0 ? 0 : at + step
  if (next >= rows.length && view.drawn < view.matching.length) {
    drawMore()
    return move(step)
  }
  next = Math.max(0, Math.min(rows.length - 1, next))
  if (rows[next]) select(rows[next], true)
}

function setFilter(filter) {
  state.filter = filter
  writeHash()
  apply()
}

for (const button of document.querySelectorAll('button[data-filter]')) button.addEventListener('click', () => setFilter(button.dataset.filter))
for (const id of ['suite', 'metric']) {
  $('#' + id).addEventListener('change', (event) => {
    state[id] = event.target.value
    writeHash()
    apply()
  })
}
let typing = 0
$('#search').addEventListener('input', (event) => {
  clearTimeout(typing)
  typing = setTimeout(() => {
    state.q = event.target.value
    writeHash()
    apply()
  }, 30)
})
body.addEventListener('click', (event) => {
  const tr = event.target.closest('tr.case')
  if (tr && !event.target.closest('a, button, summary')) toggle(tr)
})
$('#more').addEventListener('click', () => drawMore())
$('#earlier').addEventListener('click', () => apply())
// Near the end of the drawn rows, draw the next ones; observing again after each batch keeps filling a tall window.
if ('IntersectionObserver' in window) {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting) || view.drawn >= view.matching.length) return
    drawMore()
    observer.unobserve($('#more'))
    observer.observe($('#more'))
  }, { rootMargin: '400px' })
  observer.observe($('#more'))
}
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-case]')
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey) return
  event.preventDefault()
  Object.assign(state, { filter: 'all', suite: '', metric: '', q: '', open: link.dataset.case, diff: true })
  $('#search').value = ''
  $('#suite').value = ''
  $('#metric').value = ''
  writeHash()
  apply()
  showOpen()
})
window.addEventListener('hashchange', restore)

const keys = { j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1) }
document.addEventListener('keydown', (event) => {
  if (event.metaKey || event.ctrlKey || event.altKey) return
  const typingIn = event.target.closest && event.target.closest('input, select, textarea')
  if (event.key === 'Escape') {
    if (typingIn) event.target.blur()
    else if (state.open) {
      closeDetail()
      state.open = ''
      writeHash()
    }
    return
  }
  if (typingIn) return
  if (keys[event.key]) {
    event.preventDefault()
    keys[event.key]()
  } else if (event.key === '/') {
    event.preventDefault()
    $('#search').focus()
  } else if ((event.key === 'Enter' || event.key === 'o') && !event.target.closest('button, a, summary')) {
    const tr = state.selected && rowElement(state.selected)
    if (tr) {
      event.preventDefault()
      toggle(tr)
    }
  } else if (KEYS[event.key]) setFilter(KEYS[event.key])
})

restore()
document.documentElement.dataset.ready = 'true'
// Lower-case search text of every row, built in small slices while the reader looks at the first screen.
let warmed = 0
const warm = () => {
  const end = Math.min(data.rows.length, warmed + 500)
  for (; warmed < end; warmed++) haystack(warmed)
  if (warmed < data.rows.length) setTimeout(warm, 0)
}
setTimeout(warm, 50)
`
