import { BanditryError } from "../../domain/errors.js";
import { BetaBernoulliPosterior } from "./beta-bernoulli.js";
import { GaussianPosterior, validateGaussianEvidence } from "./gaussian.js";
import type { Posterior, PosteriorJSON, PosteriorKind } from "./posterior.js";

/** The prior type of a posterior kind, read off its JSON shape. */
export type PriorOf<K extends PosteriorKind> = Extract<PosteriorJSON, { kind: K }>["prior"];

type JsonObject = Record<string, unknown>;

interface PosteriorModel<K extends PosteriorKind> {
  /** Names of the prior's numeric fields, checked for presence before the model validates them. */
  priorFields: readonly (keyof PriorOf<K> & string)[];
  create(prior?: PriorOf<K>): Posterior;
  /** Rebuild from JSON whose prior fields are present; read evidence fields with `num`. */
  fromJSON(prior: PriorOf<K>, json: JsonObject): Posterior;
}

// One line per model; the Record makes the compiler flag a kind without one.
const MODELS: { [K in PosteriorKind]: PosteriorModel<K> } = {
  beta: {
    priorFields: ["alpha", "beta"],
    create: (prior) => new BetaBernoulliPosterior(prior),
    fromJSON: (prior, j) => new BetaBernoulliPosterior(prior, num(j, "successes"), num(j, "failures")),
  },
  gaussian: {
    priorFields: ["mu", "kappa", "alpha", "beta"],
    create: (prior) => new GaussianPosterior(prior),
    fromJSON: (prior, j) => {
      const p = new GaussianPosterior(prior, num(j, "n"), num(j, "sum"), num(j, "sumSq"));
      validateGaussianEvidence(p.n, p.sum, p.sumSq);
      return p;
    },
  },
};

export const POSTERIOR_KINDS = Object.keys(MODELS) as PosteriorKind[];

export function isPosteriorKind(kind: unknown): kind is PosteriorKind {
  return typeof kind === "string" && Object.hasOwn(MODELS, kind);
}

/** A fresh posterior of a kind, with its model's default prior unless one is given. */
export function createPosterior<K extends PosteriorKind>(kind: K, prior?: PriorOf<K>): Posterior {
  const model = modelOf(kind);
  if (prior !== undefined) object(prior, "prior");
  return model.create(prior);
}

/** Rebuild a posterior from plain JSON (as toJSON wrote it), validating every field. */
export function posteriorFromJSON(json: unknown): Posterior {
  const j = object(json, "posterior");
  const model = modelOf(j.kind, "kind") as PosteriorModel<PosteriorKind>;
  const prior = object(j.prior, "prior");
  for (const f of model.priorFields) num(prior, f, "prior.");
  return model.fromJSON(prior as unknown as PriorOf<PosteriorKind>, j);
}

function modelOf<K extends PosteriorKind>(kind: K | unknown, field = "kind"): PosteriorModel<K> {
  if (!isPosteriorKind(kind)) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `${field} must be one of ${POSTERIOR_KINDS.join(", ")}, got ${JSON.stringify(kind) ?? String(kind)}`,
      { field },
    );
  }
  return MODELS[kind] as unknown as PosteriorModel<K>;
}

function object(value: unknown, field: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be an object, got ${describe(value)}`, {
      field,
    });
  }
  return value as JsonObject;
}

/** A present, numeric field (finiteness and range are the model constructor's checks). */
function num(obj: JsonObject, key: string, prefix = ""): number {
  const value = obj[key];
  if (typeof value !== "number") {
    const field = prefix + key;
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be a number, got ${describe(value)}`, {
      field,
    });
  }
  return value;
}

function describe(value: unknown): string {
  return value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
}
