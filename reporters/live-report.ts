// The reporter's side of watch mode's live report: whether it runs, starting it with the watch, showing
// each rerun, printing its address once, and closing it with Vitest.
import type { Vitest } from 'vitest/node'
import type { z } from 'zod'
import type { optionsSchema } from '../src/config.js'
import type { LiveReportServer } from './live-report-server.js'
import { renderHtml, type HtmlReportInput } from './render-html.js'

type Options = z.infer<typeof optionsSchema>

/** True when `CI` is set to anything but `false`/`0`: no live page there. */
const inCi = (env: NodeJS.ProcessEnv) => env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'

/**
 * Whether the live report runs: in watch mode only, not in CI, not in shard or merge runs, and not when
 * `report: false` or `report.live: false`.
 *
 * @example
 * wantsLiveReport(vitest.config, options.report, process.env)
 */
export function wantsLiveReport(config: Pick<Vitest['config'], 'watch' | 'shard' | 'mergeReports'>, report: Options['report'], env: NodeJS.ProcessEnv): boolean {
  if (!config.watch || config.shard || config.mergeReports || inCi(env)) return false
  return report !== false && report?.live !== false
}

/**
 * Whether a watch-mode run writes history and report files (`history.watch: true`); other runs always do.
 *
 * @example
 * const write = !shard && (!vitest.config.watch || writesInWatch(options.history))
 */
export function writesInWatch(history: Options['history']): boolean {
  return history !== undefined && history !== false && history.watch === true
}

/** The live report of one Vitest instance. */
export class LiveReport {
  private readonly server: Promise<LiveReportServer | undefined>
  private announced = false

  /** Starts the server now, and closes it when Vitest closes (no process left behind). */
  constructor(vitest: Vitest) {
    this.server = import('./live-report-server.js')
      .then(({ startLiveReportServer }) => startLiveReportServer())
      .catch((error: unknown) => {
        vitest.logger.warn(`[vitest-llm-evals] The live report could not start (${error instanceof Error ? error.message : String(error)}); the watch goes on without it. Set \`report: { live: false }\` in llmEvals() options to stop trying.`)
        return undefined
      })
    vitest.onClose(async () => {
      await (await this.server)?.close()
    })
  }

  /** Shows the run on the page (when given) and prints the address the first time. */
  async show(input: HtmlReportInput | undefined, log: (text: string) => void): Promise<void> {
    const server = await this.server
    if (!server) return
    if (input) server.update(renderHtml(input))
    if (this.announced) return
    this.announced = true
    log(` live report: ${server.url} (reloads after each rerun)`)
  }
}
