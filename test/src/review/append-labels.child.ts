// Child process of labels-file.test.ts: appends `count` labels as writer `writer`, as fast as it can.
// Runs on Node's type stripping: map the `.js` specifiers of the sources back to `.ts` files first.
import '../../support/ts-specifiers.ts'


const [file, writer, count] = process.argv.slice(2) as [string, string, string]
const { appendLabel } = await import('../../../src/review/labels-file.js')
for (let index = 0; index < Number(count); index++) {
  appendLabel(file, { caseId: `${writer}-${index}`, metric: 'helpful', label: index % 2 ? 'pass' : 'fail', by: writer, note: 'x'.repeat(2000) })
}
