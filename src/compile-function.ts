// Apart from `config.ts` so that workers rebuild `normalizeRequest` without loading zod and the option
// schema (validating options is the main process's job).
import { ConfigError } from './errors/index.js'

/** Rebuilds a function from `functionSource` (config.ts) (plain `function`, arrow, or method shorthand). */
export function compileFunction<F>(source: string, name: string): F {
  try {
    return new Function(`return (${source})`)() as F
  } catch {
    try {
      const holder = new Function(`return ({ ${source} })`)() as Record<string, F>
      const method = Object.values(holder)[0]
      if (method) return method
    } catch {
      // fall through to the error below
    }
  }
  throw new ConfigError(`\`cassettes.${name}\` could not be passed to the test workers. Write it as a plain function or arrow function.`)
}
