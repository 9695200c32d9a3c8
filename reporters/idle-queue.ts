// Work on finished tests done between the event loop's I/O, not inside Vitest's handling of each worker update.
// A worker waits at the end of its file until this process has handled every update it sent (Vitest's
// `finishSendTasksUpdate`), and its last update often carries half of its tests: work done inside the handling
// (the reporter's per-test summary and secret scan) then held the worker, and so the run (issue 17).

/**
 * Calls `work` on each item pushed, in order, a few milliseconds at a time once the event loop's I/O is handled
 * (`setImmediate`); `flush()` does what is left at once. A failing item does not stop the others: its failure goes
 * to `failed` (never thrown from a `setImmediate`, where it would end the process).
 *
 * @example
 * const queue = new IdleQueue((test: TestCase) => summary.add(test), (test, error) => failures.push({ test, error }))
 * queue.push(testCase) // per finished test
 * queue.flush() // at the end of the run, before the summary is read
 */
export class IdleQueue<T> {
  private items: T[] = []
  private next = 0
  private scheduled: NodeJS.Immediate | undefined

  constructor(
    private readonly work: (item: T) => void,
    private readonly failed: (item: T, error: unknown) => void,
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

  /** Works on every item left now. */
  flush(): void {
    this.run(Number.POSITIVE_INFINITY)
  }

  /** Drops the items left (a new run starts). */
  clear(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    this.items = []
    this.next = 0
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
        this.failed(item, error)
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
