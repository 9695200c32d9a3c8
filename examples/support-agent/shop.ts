// The shop behind the support agent: its tools, as the app defines them for any model provider, and an
// in-memory stand-in for the real backend (a database and a payments API). Every call that reaches the
// backend is logged in `backendCalls`: replayed tools answer from the cassette and never reach it.

/** A conversation message, as `simulateConversation` passes them and both SDKs accept them. */
export interface Message {
  role: 'user' | 'assistant'
  content: string
}

/** What a customer can ask a refund for; each has its own policy. */
export type RefundReason = 'damaged' | 'changed-mind'

/** The tool functions the agent calls, by the name the model knows them by. */
export interface ShopTools {
  lookup_order: (args: { orderId: string }) => unknown
  check_refund_policy: (args: { reason: RefundReason }) => unknown
  issue_refund: (args: { orderId: string; amount: number }) => unknown
}

/** The support agent's instructions, shared by both SDK implementations. */
export const SYSTEM =
  'You are the support agent of an online kitchenware shop. Look the order up and check the refund policy before ' +
  'you refund anything; refund only what the policy allows. Ask for the order number if you do not have it. Be brief.'

/** A tool as the model sees it: name, description and JSON schema of its arguments. */
export interface ToolSpec {
  name: keyof ShopTools
  description: string
  parameters: { type: 'object'; properties: Record<string, unknown>; required: string[] }
}

/** Each tool's name, description and JSON schema: the agents give these to the model in their SDK's shape. */
export const toolSpecs: ToolSpec[] = [
  {
    name: 'lookup_order',
    description: 'Find an order by its number (e.g. A-1001): item, total paid in EUR, days since delivery.',
    parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  },
  {
    name: 'check_refund_policy',
    description: 'The refund policy for a reason: whether a refund is possible, within how many days of delivery, how much.',
    parameters: { type: 'object', properties: { reason: { type: 'string', enum: ['damaged', 'changed-mind'] } }, required: ['reason'] },
  },
  {
    name: 'issue_refund',
    description: 'Refund an amount in EUR of an order to the card it was paid with.',
    parameters: { type: 'object', properties: { orderId: { type: 'string' }, amount: { type: 'number' } }, required: ['orderId', 'amount'] },
  },
]

/** Runs the tool the model asked for and returns its result as JSON text for the model (errors included). */
export async function runTool(tools: ShopTools, name: string, args: unknown): Promise<string> {
  if (!(name in tools)) return JSON.stringify({ error: `There is no tool named ${name}.` })
  try {
    return JSON.stringify(await (tools[name as keyof ShopTools] as (args: unknown) => unknown)(args))
  } catch (error) {
    return JSON.stringify({ error: error instanceof Error ? error.message : String(error) })
  }
}

interface Order {
  orderId: string
  item: string
  total: number
  daysSinceDelivery: number
  refunded: number
}

const orders = new Map<string, Order>(
  [
    { orderId: 'A-1001', item: 'Blender', total: 49.9, daysSinceDelivery: 3, refunded: 0 },
    { orderId: 'A-1002', item: 'Coffee grinder', total: 89, daysSinceDelivery: 40, refunded: 0 },
    { orderId: 'A-1003', item: 'Kettle', total: 35, daysSinceDelivery: 2, refunded: 0 },
  ].map((order) => [order.orderId, order]),
)

/** Every call that reached the backend, as `tool:argument`. */
export const backendCalls: string[] = []

function findOrder(orderId: string): Order {
  const order = orders.get(orderId)
  if (order === undefined) throw new Error(`No order ${orderId}.`)
  return order
}

/** The real tools of the shop: what production gives the agent (the tests wrap each in `recordTool`). */
export const shopTools: ShopTools = {
  lookup_order({ orderId }) {
    backendCalls.push(`lookup_order:${orderId}`)
    const { refunded, ...order } = findOrder(orderId)
    return { ...order, alreadyRefunded: refunded }
  },
  check_refund_policy({ reason }) {
    backendCalls.push(`check_refund_policy:${reason}`)
    return reason === 'damaged'
      ? { reason, refundable: true, withinDays: 30, amount: 'the full price; the customer keeps the item' }
      : { reason, refundable: true, withinDays: 14, amount: 'the full price once the unused item is back' }
  },
  issue_refund({ orderId, amount }) {
    backendCalls.push(`issue_refund:${orderId}`)
    const order = findOrder(orderId)
    if (amount <= 0 || amount > order.total - order.refunded) throw new Error(`Cannot refund ${amount} EUR of order ${orderId}.`)
    order.refunded += amount
    return { refundId: `R-${orderId}`, amount, arrivesWithinWorkingDays: 5 }
  },
}
