/**
 * JSON Schemas (draft-07) of the Amazon Ads APIs the SP v3 OpenAPI file does not cover,
 * written from Amazon's documentation: Login with Amazon, /v2/profiles, Reporting v3.
 * Request schemas refuse unknown fields, so a client typo shows up in tests.
 */
const nullableString = { type: ["string", "null"] };
const date = { type: "string", format: "date" };
const dateTime = { type: "string", format: "date-time" };

const reportConfiguration = {
  type: "object",
  additionalProperties: false,
  required: ["adProduct", "reportTypeId", "groupBy", "columns", "timeUnit", "format"],
  properties: {
    adProduct: { enum: ["SPONSORED_PRODUCTS", "SPONSORED_BRANDS", "SPONSORED_DISPLAY", "SPONSORED_TELEVISION"] },
    reportTypeId: { type: "string", minLength: 1 },
    groupBy: { type: "array", minItems: 1, items: { type: "string" } },
    columns: { type: "array", minItems: 1, items: { type: "string" } },
    filters: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["field", "values"],
        properties: { field: { type: "string" }, values: { type: "array", minItems: 1, items: { type: "string" } } },
      },
    },
    timeUnit: { enum: ["DAILY", "SUMMARY"] },
    format: { enum: ["GZIP_JSON"] },
  },
};

export const EXTRA_SCHEMAS = {
  lwaTokenResponse: {
    type: "object",
    required: ["access_token", "token_type", "expires_in"],
    properties: {
      access_token: { type: "string", pattern: "^Atza\\|" },
      token_type: { const: "bearer" },
      expires_in: { type: "integer", minimum: 1 },
      refresh_token: { type: "string", pattern: "^Atzr\\|" },
    },
  },
  lwaError: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        enum: [
          "invalid_request",
          "invalid_client",
          "invalid_grant",
          "unauthorized_client",
          "unsupported_grant_type",
          "invalid_scope",
          "server_error",
          "temporarily_unavailable",
        ],
      },
      error_description: { type: "string" },
    },
  },
  profilesResponse: {
    type: "array",
    items: {
      type: "object",
      required: ["profileId", "countryCode", "currencyCode", "timezone", "accountInfo"],
      properties: {
        profileId: { type: "integer", format: "int64" },
        countryCode: { type: "string", minLength: 2, maxLength: 2 },
        currencyCode: { type: "string", minLength: 3, maxLength: 3 },
        dailyBudget: { type: "number" },
        timezone: { type: "string" },
        accountInfo: {
          type: "object",
          required: ["marketplaceStringId", "id", "type", "name"],
          properties: {
            marketplaceStringId: { type: "string" },
            id: { type: "string" },
            type: { enum: ["seller", "vendor", "agency"] },
            name: { type: "string" },
            subType: { type: "string" },
            validPaymentMethod: { type: "boolean" },
          },
        },
      },
    },
  },
  v2Error: {
    type: "object",
    required: ["code", "details"],
    properties: { code: { type: "string" }, details: { type: "string" }, requestId: { type: "string" } },
  },
  createReportRequest: {
    type: "object",
    additionalProperties: false,
    required: ["startDate", "endDate", "configuration"],
    properties: { name: { type: "string" }, startDate: date, endDate: date, configuration: reportConfiguration },
  },
  reportResponse: {
    type: "object",
    required: [
      "reportId",
      "status",
      "startDate",
      "endDate",
      "configuration",
      "createdAt",
      "updatedAt",
      "url",
      "failureReason",
    ],
    properties: {
      reportId: { type: "string", minLength: 1 },
      name: nullableString,
      status: { enum: ["PENDING", "PROCESSING", "COMPLETED", "FAILED"] },
      startDate: date,
      endDate: date,
      configuration: reportConfiguration,
      createdAt: dateTime,
      updatedAt: dateTime,
      generatedAt: { anyOf: [dateTime, { type: "null" }] },
      url: nullableString,
      urlExpiresAt: { anyOf: [dateTime, { type: "null" }] },
      fileSize: { type: ["integer", "null"] },
      failureReason: nullableString,
    },
  },
  reportingError: {
    type: "object",
    required: ["code", "detail"],
    properties: { code: { type: "string" }, detail: { type: "string" } },
  },
  /** One row of an spTargeting report file (the columns the local server produces). */
  spTargetingRow: {
    type: "object",
    properties: {
      date,
      startDate: date,
      endDate: date,
      campaignId: { type: "integer" },
      adGroupId: { type: "integer" },
      keywordId: { type: "integer" },
      portfolioId: { type: ["integer", "null"] },
      keyword: { type: "string" },
      targeting: { type: "string" },
      matchType: { enum: ["BROAD", "PHRASE", "EXACT", "TARGETING_EXPRESSION", "TARGETING_EXPRESSION_PREDEFINED"] },
      keywordType: { enum: ["BROAD", "PHRASE", "EXACT", "TARGETING_EXPRESSION", "TARGETING_EXPRESSION_PREDEFINED"] },
      keywordBid: { type: "number" },
      impressions: { type: "integer", minimum: 0 },
      clicks: { type: "integer", minimum: 0 },
      cost: { type: "number", minimum: 0 },
      costPerClick: { type: "number", minimum: 0 },
      clickThroughRate: { type: "number", minimum: 0 },
      acosClicks7d: { type: ["number", "null"] },
      acosClicks14d: { type: ["number", "null"] },
      roasClicks7d: { type: ["number", "null"] },
      roasClicks14d: { type: ["number", "null"] },
    },
    patternProperties: {
      "^(purchases|unitsSoldClicks)(1|7|14|30)d$": { type: "integer", minimum: 0 },
      "^sales(1|7|14|30)d$": { type: "number", minimum: 0 },
    },
  },
} as const;

export type ExtraSchemaName = keyof typeof EXTRA_SCHEMAS;
