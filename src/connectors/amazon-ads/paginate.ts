import { AmazonAdsError } from "./amazon-ads-error.js";

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Pages of a nextToken-paginated list, fetched lazily: the next page is asked for only when
 * the consumer gets there. A repeated token is a server fault, not an endless loop.
 */
export async function* paginate<T>(
  operation: string,
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T[], void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    yield page.items;
    token = page.nextToken === "" ? undefined : page.nextToken;
    if (token !== undefined) {
      if (seen.has(token)) {
        throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", `${operation} repeated nextToken ${token}`, {
          operation,
        });
      }
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Items of paged lists, one at a time. */
export async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) yield* page;
}

/** Everything an async iterable yields, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
