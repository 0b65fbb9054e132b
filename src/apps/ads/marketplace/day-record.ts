/** What happened on one simulated day, per keyword (struct of arrays, indexed by keyword). */
export interface DayRecord {
  /** Epoch day. */
  day: number;
  bid: Float64Array;
  serving: Uint8Array;
  impressions: Int32Array;
  /** All clicks, including the invalid ones Amazon removes within a few days. */
  clicks: Int32Array;
  invalidClicks: Int32Array;
  cost: Float64Array;
  invalidCost: Float64Array;
  /** Orders of keyword k are orderLag/Value/Units[orderStart[k] … orderStart[k + 1]). */
  orderStart: Int32Array;
  orderLag: Uint8Array;
  orderValue: Float64Array;
  orderUnits: Uint8Array;
}

/** Attributed totals of one keyword-day as known some days later. */
export interface Attributed {
  orders: number;
  sales: number;
  units: number;
}

/**
 * Orders of keyword k on that day that arrived within `window` days of the click (lag <
 * window) and no later than `age` days after it (what is known `age` days on).
 */
export function attributed(record: DayRecord, k: number, window: number, age: number): Attributed {
  let orders = 0;
  let sales = 0;
  let units = 0;
  for (let i = record.orderStart[k]!; i < record.orderStart[k + 1]!; i++) {
    const lag = record.orderLag[i]!;
    if (lag < window && lag <= age) {
      orders++;
      sales += record.orderValue[i]!;
      units += record.orderUnits[i]!;
    }
  }
  return { orders, sales: Math.round(sales * 100) / 100, units };
}
