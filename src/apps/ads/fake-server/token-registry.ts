import { randomBytes } from "node:crypto";

export interface FakeLwaClient {
  clientId: string;
  clientSecret: string;
  /** Refresh tokens this client may redeem (Atzr|…). */
  refreshTokens: string[];
}

export const DEFAULT_LWA_CLIENT: FakeLwaClient = {
  clientId: "amzn1.application-oa2-client.banditryfake",
  clientSecret: "fake-client-secret",
  refreshTokens: ["Atzr|fake-refresh-token"],
};

export type TokenCheck = "ok" | "missing" | "unknown" | "expired" | "wrong-client";

interface Issued {
  clientId: string;
  expiresAt: number;
}

/** Access tokens the local LWA endpoint issued, with their expiry on the server's clock. */
export class TokenRegistry {
  private readonly issued = new Map<string, Issued>();
  private readonly clients: FakeLwaClient[];
  private counter = 0;
  /** Tokens handed out so far. */
  issuedCount = 0;

  constructor(
    clients: readonly FakeLwaClient[],
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {
    this.clients = clients.map((c) => ({ ...c, refreshTokens: [...c.refreshTokens] }));
  }

  client(clientId: string): FakeLwaClient | undefined {
    return this.clients.find((c) => c.clientId === clientId);
  }

  /** A new access token for the client, valid ttlSeconds. */
  issue(clientId: string): { accessToken: string; expiresIn: number } {
    const accessToken = `Atza|fake-${++this.counter}-${randomBytes(12).toString("hex")}`;
    this.issued.set(accessToken, { clientId, expiresAt: this.now() + this.ttlSeconds * 1000 });
    this.issuedCount++;
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  check(accessToken: string | undefined, clientId: string | undefined): TokenCheck {
    if (accessToken === undefined || accessToken === "") return "missing";
    const t = this.issued.get(accessToken);
    if (t === undefined) return "unknown";
    if (this.now() >= t.expiresAt) return "expired";
    return clientId === t.clientId ? "ok" : "wrong-client";
  }

  /** Every access token issued so far expires now (fault injection). */
  expireAll(): void {
    const now = this.now();
    for (const t of this.issued.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }
}
