/**
 * A schema (or any value costly to build) made on first use instead of when its module loads. Importing
 * `vitest-llm-evals` is a fixed cost paid in every Vitest worker, and building ~360 zod schemas was part of it:
 * a module's top-level schema constants become getters built by whichever call needs them first.
 *
 * The getter builds once and returns the same instance after, so identity holds (zod's `.extend`, options
 * cached per schema). A build that throws is not memoised: the next call builds again and throws the same.
 *
 * @example
 * const pointSchema = lazySchema(() => z.object({ x: z.number(), y: z.number() }))
 * pointSchema().parse({ x: 1, y: 2 })
 */
export function lazySchema<Schema>(build: () => Schema): () => Schema {
  let built: { schema: Schema } | undefined
  return () => (built ??= { schema: build() }).schema
}

