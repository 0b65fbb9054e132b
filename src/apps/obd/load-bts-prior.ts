import { join } from "node:path";
import { BanditryError } from "../../domain/errors.js";
import { OBD_CAMPAIGNS, type ObdCampaign } from "./obd-names.js";
import { readObdText } from "./read-obd-text.js";

/** Beta(alpha[i], beta[i]) for item i of the Thompson Sampling policy behind `bts/`. */
export interface BtsPrior {
  alpha: number[];
  beta: number[];
}

/** Reads `<dir>/prior_bts.json`: one { alpha, beta } per campaign, equal lengths, shapes > 0. */
export async function loadBtsPrior(dir: string): Promise<Record<ObdCampaign, BtsPrior>> {
  const file = join(dir, "prior_bts.json");
  let json: unknown;
  try {
    json = JSON.parse(await readObdText(file));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new BanditryError("BANDITRY_VALIDATION", `${file}: not valid JSON (${e.message})`, { field: "prior_bts" });
  }
  const out = {} as Record<ObdCampaign, BtsPrior>;
  for (const campaign of OBD_CAMPAIGNS) {
    const entry = (json as Record<string, { alpha?: unknown; beta?: unknown } | undefined>)[campaign];
    const alpha = shapes(file, `${campaign}.alpha`, entry?.alpha);
    const beta = shapes(file, `${campaign}.beta`, entry?.beta);
    if (alpha.length !== beta.length) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `${file}: ${campaign}.alpha has ${alpha.length} items but ${campaign}.beta has ${beta.length}`,
        { field: `${campaign}.beta` },
      );
    }
    out[campaign] = { alpha, beta };
  }
  return out;
}

function shapes(file: string, field: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BanditryError("BANDITRY_VALIDATION", `${file}: ${field} must be a non-empty array`, { field });
  }
  value.forEach((v, i) => {
    if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) {
      throw new BanditryError("BANDITRY_VALIDATION", `${file}: ${field}[${i}] must be a number > 0, got ${String(v)}`, {
        field,
      });
    }
  });
  return value as number[];
}
