export interface BidLimits {
  /** Largest relative change in one step (0.25 = ±25%). */
  maxChange: number;
  userMin?: number;
  userMax?: number;
  marketMin: number;
  marketMax: number;
  currency?: string;
}

export interface GuardedBid {
  bid: number;
  /** Each guardrail that moved the bid, in plain words. */
  bound: string[];
}

/** Cents, rounded toward the current bid so that rounding never breaks the step cap. */
const centsToward = (x: number, current: number) =>
  x >= current ? Math.floor(x * 100 + 1e-6) / 100 : Math.ceil(x * 100 - 1e-6) / 100;

/**
 * Applies the bid guardrails in order of precedence, later ones winning: the step cap around
 * the current bid, the user's min/max, then the marketplace's min/max (the API refuses bids
 * outside them). Bids are rounded to cents toward the current bid, inside the limits.
 */
export function applyBidGuardrails(current: number, proposed: number, l: BidLimits): GuardedBid {
  const bound: string[] = [];
  const money = (x: number) => `${x.toFixed(2)}${l.currency ? ` ${l.currency}` : ""}`;
  let bid = proposed;
  if (current > 0) {
    const up = current * (1 + l.maxChange);
    const down = current * Math.max(0, 1 - l.maxChange);
    if (bid > up) {
      bid = up;
      bound.push(`step cap +${Math.round(l.maxChange * 100)}% (proposal ${money(proposed)})`);
    } else if (bid < down) {
      bid = down;
      bound.push(`step cap −${Math.round(l.maxChange * 100)}% (proposal ${money(proposed)})`);
    }
  }
  if (l.userMax !== undefined && bid > l.userMax) {
    bid = l.userMax;
    bound.push(`user max bid ${money(l.userMax)}`);
  }
  if (l.userMin !== undefined && bid < l.userMin) {
    bid = l.userMin;
    bound.push(`user min bid ${money(l.userMin)}`);
  }
  if (bid > l.marketMax) {
    bid = l.marketMax;
    bound.push(`marketplace max bid ${money(l.marketMax)}`);
  }
  if (bid < l.marketMin) {
    bid = l.marketMin;
    bound.push(`marketplace min bid ${money(l.marketMin)}`);
  }
  bid = Math.min(l.marketMax, Math.max(l.marketMin, centsToward(bid, current)));
  return { bid, bound };
}
