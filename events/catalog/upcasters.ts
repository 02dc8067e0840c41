/**
 * Older schema versions of stored events, and how each becomes the next version.
 * An upcaster takes the data of version n and returns the data of version n + 1; the codec
 * chains them up to the current version, then validates the result against today's schema.
 */

/**
 * AssistancePledged v1 (catalog before currencies): the amount was a bare USD range,
 * `{ amountUsd: { min, max } }`, and a capacity was a string such as "500 MW".
 */
export interface AssistancePledgedV1 {
  pledgeId: string;
  from: string;
  to: string;
  purpose: string;
  amountUsd?: { min: number; max: number };
  capacity?: string;
  [field: string]: unknown;
}

const assistancePledgedV1toV2 = (data: Record<string, unknown>): Record<string, unknown> => {
  const { amountUsd, capacity, ...rest } = data as AssistancePledgedV1;
  const upcast: Record<string, unknown> = { ...rest };
  if (amountUsd !== undefined) upcast.amount = { currency: 'USD', min: amountUsd.min, max: amountUsd.max };
  if (typeof capacity === 'string') {
    const match = /^\s*([\d.]+)\s*(\S+)\s*$/.exec(capacity);
    upcast.capacity = match ? { value: Number(match[1]), unit: match[2] } : capacity;
  }
  return upcast;
};

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** upcasters[type][n] turns version n into version n + 1. */
export const upcasters: Partial<Record<string, Record<number, Upcaster>>> = {
  AssistancePledged: { 1: assistancePledgedV1toV2 },
};
