import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';

export function one<T>(data: T): DataEnvelope<T> {
  return { data };
}

export function page<T>(
  data: T[],
  total: number,
  pageNumber: number,
  perPage: number,
): ListEnvelope<T> {
  return {
    data,
    pagination: {
      page: pageNumber,
      per_page: perPage,
      total,
      total_pages: Math.max(1, Math.ceil(total / perPage)),
    },
  };
}
