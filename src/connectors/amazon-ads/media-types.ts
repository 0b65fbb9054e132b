/**
 * Vendor media types, as the Sponsored Products v3 spec and Reporting v3 name them. Each goes
 * in both Content-Type and Accept; the API answers 415 to any other. Error bodies come back
 * as application/json.
 */
export const MEDIA_TYPES = {
  spCampaign: "application/vnd.spCampaign.v3+json",
  spAdGroup: "application/vnd.spAdGroup.v3+json",
  spKeyword: "application/vnd.spKeyword.v3+json",
  createReport: "application/vnd.createasyncreportrequest.v3+json",
  json: "application/json",
  form: "application/x-www-form-urlencoded",
} as const;
