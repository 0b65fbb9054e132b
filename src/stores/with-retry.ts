import type { SqlDialect } from "./sql-dialect.js";

const MAX_ATTEMPTS = 5;

/**
 * Runs a transaction again when the database aborted it for a reason a retry cures (PostgreSQL
 * deadlock victim, serialization failure). The transaction was rolled back as a whole, so a
 * retry is safe. The back-off is deterministic: the database already picked one winner.
 */
export async function withRetry<T>(dialect: SqlDialect, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !dialect.isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt));
    }
  }
}
