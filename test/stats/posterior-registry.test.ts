import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { BetaBernoulliPosterior, DEFAULT_BETA_PRIOR } from "../../src/stats/posteriors/beta-bernoulli.js";
import { GaussianPosterior } from "../../src/stats/posteriors/gaussian.js";
import {
  createPosterior,
  isPosteriorKind,
  POSTERIOR_KINDS,
  posteriorFromJSON,
} from "../../src/stats/posteriors/registry.js";

function assertInvalid(fn: () => unknown, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected BanditryError, got ${String(e)}`);
    assert.equal(e.code, "BANDITRY_INVALID_PARAMETER");
    assert.equal(e.field, field);
    return true;
  });
}

describe("posterior registry", () => {
  it("creates every kind, with its default prior or a given one", () => {
    assert.deepEqual(POSTERIOR_KINDS.toSorted(), ["beta", "gaussian"]);
    const b = createPosterior("beta");
    assert.ok(b instanceof BetaBernoulliPosterior);
    assert.deepEqual(b.toJSON().prior, DEFAULT_BETA_PRIOR);
    const g = createPosterior("gaussian", { mu: 5, kappa: 1, alpha: 2, beta: 3 });
    assert.ok(g instanceof GaussianPosterior);
    assert.equal(g.mean(), 5);
    for (const kind of POSTERIOR_KINDS) {
      assert.ok(isPosteriorKind(kind));
      assert.deepEqual(posteriorFromJSON(createPosterior(kind).toJSON()).toJSON(), createPosterior(kind).toJSON());
    }
    assert.equal(isPosteriorKind("toString"), false);
  });

  it("rejects unknown kinds and invalid priors, naming the field", () => {
    assertInvalid(() => createPosterior("poisson" as "beta"), "kind");
    assertInvalid(() => createPosterior("beta", { alpha: -1, beta: 1 }), "prior.alpha");
    assertInvalid(() => createPosterior("gaussian", { mu: 0, kappa: 0, alpha: 1, beta: 1 }), "prior.kappa");
    assertInvalid(() => createPosterior("beta", null as unknown as { alpha: number; beta: number }), "prior");
  });

  it("posteriorFromJSON validates the plain JSON and names the bad field", () => {
    const beta = { kind: "beta", prior: { alpha: 1, beta: 1 }, successes: 3, failures: 4 };
    const gaussian = { kind: "gaussian", prior: { mu: 0, kappa: 1, alpha: 1, beta: 1 }, n: 2, sum: 4, sumSq: 9 };
    assert.equal(posteriorFromJSON(beta).count(), 7);
    assert.equal(posteriorFromJSON(gaussian).count(), 2);
    const cases: [unknown, string][] = [
      [null, "posterior"],
      ["beta", "posterior"],
      [[beta], "posterior"],
      [{ ...beta, kind: "poisson" }, "kind"],
      [{ ...beta, kind: "__proto__" }, "kind"],
      [{ ...beta, kind: undefined }, "kind"],
      [{ ...beta, prior: undefined }, "prior"],
      [{ ...beta, prior: [1, 1] }, "prior"],
      [{ ...beta, prior: { alpha: "1", beta: 1 } }, "prior.alpha"],
      [{ ...beta, prior: { alpha: 1 } }, "prior.beta"],
      [{ ...beta, prior: { alpha: 0, beta: 1 } }, "prior.alpha"],
      [{ ...beta, successes: undefined }, "successes"],
      [{ ...beta, failures: -1 }, "failures"],
      [{ ...beta, failures: "4" }, "failures"],
      [{ ...gaussian, prior: { alpha: 1, beta: 1 } }, "prior.mu"],
      [{ ...gaussian, prior: { ...gaussian.prior, kappa: Number.NaN } }, "prior.kappa"],
      [{ ...gaussian, n: undefined }, "n"],
      [{ ...gaussian, sumSq: -1 }, "sumSq"],
      [{ ...gaussian, sum: 100 }, "sum"],
    ];
    for (const [json, field] of cases) assertInvalid(() => posteriorFromJSON(json), field);
  });
});
