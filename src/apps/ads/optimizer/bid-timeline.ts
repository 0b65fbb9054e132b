import { epochDay } from "../marketplace/calendar.js";
import type { ExecutedChange, KeywordInfo } from "./optimizer-types.js";

/**
 * The bid a keyword had on a past day, from the report's keywordBid when given, else from the
 * executed changes (the latest change taking effect on or before the day; before the first
 * change, its fromBid), else the current bid.
 */
export class BidTimeline {
  private readonly changes = new Map<string, { day: number; fromBid: number; toBid: number }[]>();
  private readonly current = new Map<string, number>();

  constructor(keywords: readonly KeywordInfo[], changes: readonly ExecutedChange[]) {
    for (const k of keywords) this.current.set(k.keywordId, k.bid);
    for (const c of changes) {
      let list = this.changes.get(c.keywordId);
      if (!list) {
        list = [];
        this.changes.set(c.keywordId, list);
      }
      list.push({ day: epochDay(c.date, "changes.date"), fromBid: c.fromBid, toBid: c.toBid });
    }
    for (const list of this.changes.values()) list.sort((a, b) => a.day - b.day);
  }

  bidOn(keywordId: string, day: number, reported?: number): number {
    if (reported !== undefined && reported > 0) return reported;
    const list = this.changes.get(keywordId);
    if (list && list.length > 0) {
      let bid = list[0]!.fromBid;
      for (const c of list) if (c.day <= day) bid = c.toBid;
      return bid;
    }
    return this.current.get(keywordId) ?? 0;
  }

  /** Epoch day of the keyword's latest change, or undefined. */
  lastChange(keywordId: string): number | undefined {
    const list = this.changes.get(keywordId);
    return list && list.length > 0 ? list[list.length - 1]!.day : undefined;
  }
}
