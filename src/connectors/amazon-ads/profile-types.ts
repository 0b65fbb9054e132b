/** An advertising profile (one advertiser in one marketplace), from GET /v2/profiles. */
export interface AdsProfile {
  /** int64 on the wire; kept as its exact decimal string. */
  profileId: string;
  countryCode: string;
  currencyCode: string;
  dailyBudget?: number;
  timezone: string;
  accountInfo: {
    marketplaceStringId: string;
    id: string;
    type: "seller" | "vendor" | "agency";
    name: string;
    subType?: string;
    validPaymentMethod?: boolean;
  };
}
