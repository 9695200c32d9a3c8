// Node built-ins the library patches (node:http, node:http2, node:net, node:tls) are loaded only when a test's
// code first imports or requires them: a worker whose tests never use one does not pay for loading it.
import module from 'node:module'

type RegisterHooks = typeof module.registerHooks

/** `module.registerHooks` where this Node has it (>= 22.15), else `null`. */
export const nodeRegisterHooks: RegisterHooks | null = (module as { registerHooks?: RegisterHooks }).registerHooks ?? null

/**
 * Calls `load` once, when the first module resolves one of `specifiers` (before it gets the module); at once
 * without `module.registerHooks` (Node < 22.15) or where it throws (Vitest's VM pools).
 *
 * @example
 * whenBuiltinLoads(new Set(['http2', 'node:http2']), () => bridgeHttp2(owns))
 */
export function whenBuiltinLoads(specifiers: ReadonlySet<string>, load: () => void, registerHooks: RegisterHooks | null = nodeRegisterHooks): void {
  if (!registerHooks) return load()
  let done = false
  let hooks: ReturnType<RegisterHooks>
  try {
    hooks = registerHooks({
      resolve(specifier, context, nextResolve) {
        const resolved = nextResolve(specifier, context)
        if (!done && specifiers.has(specifier)) {
          done = true
          hooks.deregister()
          load()
        }
        return resolved
      },
    })
  } catch {
    // Vitest's VM pools (`vmThreads`, `vmForks`) give test code a `node:module` whose registerHooks throws.
    return load()
  }
}
