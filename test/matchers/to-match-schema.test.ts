import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const City = z.object({ city: z.string(), population: z.number().int(), tags: z.array(z.string()) })

describe('.toMatchSchema', () => {
  test('passes when bare JSON matches', async () => {
    await expect('{"city": "Lyon", "population": 522250, "tags": []}').toMatchSchema(City)
  })

  test('passes when the JSON is fenced or embedded in prose', async () => {
    await expect('Here it is:\n```json\n{"city": "Lyon", "population": 1, "tags": ["fr"]}\n```').toMatchSchema(City)
    await expect('Sure! {"city": "Lyon", "population": 1, "tags": []} Anything else?').toMatchSchema(City)
  })

  test('passes when the output is already a value', async () => {
    await expect({ city: 'Lyon', population: 1, tags: [] }).toMatchSchema(City)
  })

  test('records score 1 with where the JSON was found', async ({ task }) => {
    await expect('```json\n{"city": "Lyon", "population": 1, "tags": []}\n```').toMatchSchema(City)
    expect(task.meta.evals).toEqual([
      { metric: 'schema', score: 1, pass: true, details: { found: true, source: 'fenced', issues: [] }, attempt: { retry: 0, repeat: 0 } },
    ])
  })

  test('fails listing each zod issue with its path, and records the issues', async ({ task }) => {
    const output = '{"city": 7, "population": 1.5, "tags": ["ok", 3]}'
    expect(await failureOf(expect(output).toMatchSchema(City))).toMatchInlineSnapshot(`
      "expect(output).toMatchSchema(schema)

      Expected output to contain JSON that matches the schema.

      Score:     0.00
      Reasons:
        - city: Invalid input: expected string, received number
        - population: Invalid input: expected int, received number
        - tags[1]: Invalid input: expected string, received number
      Output:
        {"city": 7, "population": 1.5, "tags": ["ok", 3]}"
    `)
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'schema', score: 0, pass: false, details: { issues: [{ path: 'city' }, { path: 'population' }, { path: 'tags[1]' }] } })
  })

  test('fails when the output holds no JSON', async () => {
    expect(await failureOf(expect('I cannot answer that.').toMatchSchema(City))).toMatchInlineSnapshot(`
      "expect(output).toMatchSchema(schema)

      Expected output to contain JSON that matches the schema.

      Score:     0.00
      Reasons:
        - no JSON found: no parsable JSON object or array in the output
      Output:
        I cannot answer that."
    `)
  })

  test('fails with a bounded message when the value is nested 100,000 levels deep (no stack overflow)', async () => {
    let value: unknown = 1
    for (let i = 0; i < 100_000; i++) value = [value]
    const message = await failureOf(expect(value).toMatchSchema(City))
    expect(message).toContain('expected object, received array')
    expect(message.length).toBeLessThan(5_000)
  })

  test('throws a ConfigError when the schema is not a schema', () => {
    expect(() => expect('{}').toMatchSchema({} as never)).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] toMatchSchema() needs a zod schema (or another Standard Schema), e.g. \`z.object({ … })\`.]`)
  })
})

describe('.not.toMatchSchema', () => {
  test('passes when the JSON does not match', async () => {
    await expect('{"city": 1}').not.toMatchSchema(City)
  })

  test('fails when the JSON matches', async () => {
    expect(await failureOf(expect('{"city": "Lyon", "population": 1, "tags": []}').not.toMatchSchema(City))).toMatchInlineSnapshot(`
      "expect(output).not.toMatchSchema(schema)

      Expected output not to contain JSON that matches the schema.

      Score:     1.00
      Reasons:
        - the JSON matches the schema
      Output:
        {"city": "Lyon", "population": 1, "tags": []}"
    `)
  })
})
