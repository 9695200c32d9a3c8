// How each line of a chart looks: a colour, a dash pattern and a marker shape, all three distinct for the
// first eight series, so lines that lie on top of each other stay apart in print, in greyscale and for
// readers who do not tell the colours apart.

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#a16207', '#db2777']
/** `stroke-dasharray` values; the empty one is a solid line. */
const DASHES = ['', '6 3', '2 2', '9 3 2 3', '1 3', '12 4', '4 2 1 2 1 2', '3 5']
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'plus', 'cross', 'triangle-down', 'bar'] as const

/** A marker shape (drawn as path data, so a whole series' markers are one `<path>`). */
export type MarkerShape = (typeof SHAPES)[number]

/** The look of one series. */
export interface SeriesMark {
  color: string
  dash: string
  shape: MarkerShape
}

/**
 * The look of the series at `index`: colour, dash and shape each cycle through eight, offset against each
 * other past the eighth series so that no two of the first 64 series look the same.
 *
 * @example
 * seriesMark(1) // { color: '#dc2626', dash: '6 3', shape: 'square' }
 */
export function seriesMark(index: number): SeriesMark {
  const round = Math.floor(index / COLORS.length)
  return {
    color: COLORS[index % COLORS.length]!,
    dash: DASHES[(index + round) % DASHES.length]!,
    shape: SHAPES[(index + 2 * round + (round > 0 ? 1 : 0)) % SHAPES.length]!,
  }
}

/**
 * Rounds a coordinate to one decimal, without a trailing `.0` (chart size grows with every character).
 *
 * @example
 * coordinate(12.04) // '12'
 */
export function coordinate(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/**
 * Path data of one marker of `shape` centred on `x`,`y` with radius `size` (filled and stroked in the
 * series colour, so the open shapes `plus` and `cross` show by their stroke).
 *
 * @example
 * markerPath('square', 10, 10, 2) // 'M8 8h4v4h-4z'
 */
export function markerPath(shape: MarkerShape, x: number, y: number, size: number): string {
  const [left, right, up, down] = [x - size, x + size, y - size, y + size].map(coordinate)
  const [cx, cy, s, s2] = [x, y, size, size * 2].map(coordinate)
  switch (shape) {
    case 'circle':
      return `M${left} ${cy}a${s} ${s} 0 1 0 ${s2} 0a${s} ${s} 0 1 0 -${s2} 0`
    case 'square':
      return `M${left} ${up}h${s2}v${s2}h-${s2}z`
    case 'triangle':
      return `M${cx} ${up}L${right} ${down}H${left}z`
    case 'triangle-down':
      return `M${cx} ${down}L${right} ${up}H${left}z`
    case 'diamond':
      return `M${cx} ${up}L${right} ${cy}L${cx} ${down}L${left} ${cy}z`
    case 'plus':
      return `M${left} ${cy}H${right}M${cx} ${up}V${down}`
    case 'cross':
      return `M${left} ${up}L${right} ${down}M${left} ${down}L${right} ${up}`
    case 'bar':
      return `M${left} ${coordinate(y - size / 2)}h${s2}v${s}h-${s2}z`
  }
}
