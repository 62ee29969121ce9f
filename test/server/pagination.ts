import { invalidRequest } from './errors';

export interface PageBody<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 1000;

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit)) throw invalidRequest('limit: Input should be a valid integer');
  if (limit < 1) throw invalidRequest('limit: Input should be greater than or equal to 1');
  if (limit > MAX_PAGE_LIMIT) throw invalidRequest(`limit: Input should be less than or equal to ${MAX_PAGE_LIMIT}`);
  return limit;
}

/**
 * Cursor pagination as the API does it over a list already in display order:
 * `after_id` pages forward, `before_id` returns the page just before the cursor
 * (the SDK then keeps paging backwards with `first_id`).
 */
export function paginate<T extends { id: string }>(items: readonly T[], query: URLSearchParams): PageBody<T> {
  const limit = parseLimit(query.get('limit'));
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId !== null && beforeId !== null) throw invalidRequest('Only one of after_id and before_id may be provided');
  const indexOf = (id: string, name: string): number => {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw invalidRequest(`${name}: no object with id '${id}'`);
    return index;
  };
  let data: T[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = indexOf(beforeId, 'before_id');
    const start = Math.max(0, end - limit);
    data = items.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = afterId !== null ? indexOf(afterId, 'after_id') + 1 : 0;
    data = items.slice(start, start + limit);
    hasMore = start + limit < items.length;
  }
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}
