/** A help-centre article. */
export interface Article {
  id: string
  text: string
}

export const ARTICLES: Article[] = [
  { id: 'refund-policy', text: 'Your refund is paid to the original payment method within 5 working days.' },
  { id: 'double-charge', text: 'If you were charged twice the duplicate payment is refunded automatically.' },
  { id: 'shipping-times', text: 'A parcel sent by standard shipping takes 2 to 4 working days; express ships the next day.' },
  { id: 'lost-parcel', text: 'If your parcel has not arrived 3 days after the due date we send a new one.' },
  { id: 'password-reset', text: 'Reset your password from the sign-in page with the link we email you.' },
]

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]+/g) ?? [])

/** The retriever under test: ranks articles by word overlap with the question. */
export function retrieve(question: string, k = 3): string[] {
  const asked = words(question)
  return ARTICLES.map((article) => ({ id: article.id, overlap: [...words(article.text)].filter((word) => asked.has(word)).length }))
    .sort((a, b) => b.overlap - a.overlap || a.id.localeCompare(b.id))
    .slice(0, k)
    .map((article) => article.id)
}
