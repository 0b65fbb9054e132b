import { createHash, randomBytes } from "node:crypto";

/** Secrets look like `bdt_` + 32 random bytes in base64url (43 characters). */
export const KEY_PREFIX = "bdt_";
const SECRET_PATTERN = /^bdt_[A-Za-z0-9_-]{43}$/;

export function generateKeySecret(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** What the key store keeps instead of the secret: SHA-256, hex. */
export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Cheap shape check, so malformed tokens never reach the store or the cache. */
export function isWellFormedKeySecret(secret: string): boolean {
  return SECRET_PATTERN.test(secret);
}
