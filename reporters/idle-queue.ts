// Work on finished tests done between the event loop's I/O, not inside Vitest's handling of each worker update.
// A worker waits at the end of its file until this process has handled every update it sent (Vitest's
// `finishSendTasksUpdate`), and its last update often carries half of its tests: work done inside the handling
// (the reporter's per-test summary and secret scan) then held the worker, and so the run (issue 17).

/**
 * Calls `work` on each item pushed, in order, a few milliseconds at a time once the event loop's I/O is handled
 * (`setImmediate`); `flush()` does what is left at once. A failing item does not stop the others: `flush()`
 * throws the first failure once every item is done.
 *
 * @example
 * const queue = new IdleQueue((test: TestCase) => summary.add(test))
 * queue.push(testCase) // per finished test
 * queue.flush() // at the end of the run, before the summary is read
 */
export class IdleQueue<T> {
  private items: T[] = []
  private next = 0
  private scheduled: NodeJS.Immediate | undefined
  private failure: { error: unknown } | undefined

  constructor(
    private readonly work: (item: T) => void,
    /** Longest stretch of work between two turns of the event loop, in milliseconds. */
    private readonly sliceMs = 2,
  ) {}

  push(item: T): void {
    this.items.push(item)
    this.scheduled ??= setImmediate(() => this.run(this.sliceMs))
  }

  /** Items pushed and not yet worked on. */
  get pending(): number {
    return this.items.length - this.next
  }

  /** Works on every item left now; throws the first failure of any item since the last flush. */
  flush(): void {
    this.run(Number.POSITIVE_INFINITY)
    const failure = this.failure
    this.failure = undefined
    if (failure) throw failure.error
  }

  /** Drops the items left (a new run starts) and any failure. */
  clear(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    this.items = []
    this.next = 0
    this.failure = undefined
  }

  private run(budgetMs: number): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    const until = performance.now() + budgetMs
    const items = this.items
    while (this.next < items.length) {
      const item = items[this.next++] as T
      try {
        this.work(item)
      } catch (error) {
        this.failure ??= { error }
      }
      // The clock read every 8 items: one item is ~10–40 µs of work.
      if ((this.next & 7) === 0 && performance.now() >= until) break
    }
    if (this.next < items.length) this.scheduled = setImmediate(() => this.run(this.sliceMs))
    else {
      this.items = []
      this.next = 0
    }
  }
}
