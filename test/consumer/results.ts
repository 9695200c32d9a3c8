import { appendFileSync } from 'node:fs'

export function keep(name: string, value: unknown): void {
  if (process.env.RESULTS_FILE) appendFileSync(process.env.RESULTS_FILE, JSON.stringify({ name, value }) + '\n')
}
