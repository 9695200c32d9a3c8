// Node runs TypeScript files as they are (type stripping) but does not map the `.js` specifiers TypeScript
// wants back to the `.ts` files. Importing this module first adds that mapping for what is imported after it
// dynamically (`await import(...)`): static imports are resolved before any module runs.
//
//   import '../test/support/ts-specifiers.ts'
//   const { startModelServer } = await import('./model-server.js')
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error
      return nextResolve(specifier.replace(/\.js$/, '.ts'), context)
    }
  },
})
