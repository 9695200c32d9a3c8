import type { z } from 'zod'
import { loadZod } from './load-zod.js'

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


/**
 * A zod schema made on first use by `build`, which receives zod's `z`: a module whose schemas are all made
 * this way imports zod's types only, so zod itself loads with the first schema anything needs (see
 * `loadZod`), not when the module is imported.
 *
 * @example
 * import type { z } from 'zod'
 * const pointSchema = lazyZodSchema((z) => z.object({ x: z.number(), y: z.number() }))
 * type Point = z.infer<ReturnType<typeof pointSchema>>
 */
export function lazyZodSchema<Schema>(build: (zod: typeof z) => Schema): () => Schema {
  return lazySchema(() => build(loadZod().z))
}
