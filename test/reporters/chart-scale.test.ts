import { describe, expect, test } from 'vitest'
import { bandSegments, rangeTicks, scoreRange, separateLabels, thinnedTicks, validInterval } from '../../reporters/chart-scale.js'

describe('scoreRange', () => {
  test('zooms to a narrow range padded and rounded to tenths; keeps 0..1 for a wide one or none', () => {
    expect(scoreRange([0.81, 0.84])).toEqual({ low: 0.7, high: 0.9, zoomed: true })
    expect(scoreRange([0.81, 0.86])).toEqual({ low: 0.7, high: 1, zoomed: true })
    expect(scoreRange([0.75, 0.75])).toEqual({ low: 0.7, high: 0.8, zoomed: true })
    expect(scoreRange([0.98, 1])).toEqual({ low: 0.9, high: 1, zoomed: true })
    expect(scoreRange([0, 0.02])).toEqual({ low: 0, high: 0.1, zoomed: true })
    expect(scoreRange([0.2, 0.9])).toEqual({ low: 0, high: 1, zoomed: false })
    expect(scoreRange([])).toEqual({ low: 0, high: 1, zoomed: false })
  })

  test('ticks are quarters of the full axis and tenths of a zoomed one', () => {
    expect(rangeTicks({ low: 0, high: 1, zoomed: false })).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(rangeTicks({ low: 0.7, high: 1, zoomed: true })).toEqual([0.7, 0.8, 0.9, 1])
  })
})

describe('thinnedTicks', () => {
  test('every run up to six, else evenly spaced back from the last, with the first when it does not crowd', () => {
    expect(thinnedTicks(1)).toEqual([0])
    expect(thinnedTicks(6)).toEqual([0, 1, 2, 3, 4, 5])
    expect(thinnedTicks(7)).toEqual([0, 2, 4, 6])
    expect(thinnedTicks(10)).toEqual([1, 3, 5, 7, 9])
    expect(thinnedTicks(12)).toEqual([2, 5, 8, 11])
    expect(thinnedTicks(200)).toEqual([0, 39, 79, 119, 159, 199])
    for (let count = 7; count <= 300; count += 1) {
      const ticks = thinnedTicks(count)
      expect(ticks.length).toBeLessThanOrEqual(6)
      expect(ticks.at(-1)).toBe(count - 1)
      const gaps = ticks.slice(1).map((tick, at) => tick - ticks[at]!)
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.85 * Math.max(...gaps))
    }
  })
})

describe('separateLabels', () => {
  test('labels far apart stay where wanted', () => {
    expect(separateLabels([50, 120, 10], 10, 0, 200)).toEqual([50, 120, 10])
  })

  test('equal or close values are pushed at least a gap apart, in input order for ties', () => {
    expect(separateLabels([50, 50, 50], 10, 0, 200)).toEqual([40, 50, 60])
    expect(separateLabels([50, 52, 120], 10, 0, 200)).toEqual([46, 56, 120])
  })

  test('labels crowded at an edge move inside the range', () => {
    expect(separateLabels([200, 199, 198], 10, 0, 200)).toEqual([200, 190, 180])
    expect(separateLabels([0, 0], 10, 0, 200)).toEqual([0, 10])
  })
})

describe('bands', () => {
  test('a run without an interval breaks the band; malformed intervals are dropped', () => {
    expect(bandSegments([{ low: 0.1, high: 0.2 }, undefined, { low: 0.3, high: 0.4 }, { low: 0.3, high: 0.5 }])).toEqual([
      [{ at: 0, low: 0.1, high: 0.2 }],
      [
        { at: 2, low: 0.3, high: 0.4 },
        { at: 3, low: 0.3, high: 0.5 },
      ],
    ])
    expect(validInterval({ low: 0.9, high: 0.1 })).toBeUndefined()
    expect(validInterval({ low: '0.1', high: 0.2 })).toBeUndefined()
    expect(validInterval({ low: 0.1, high: 0.2 })).toEqual({ low: 0.1, high: 0.2 })
  })
})
