/**
 * Linear contextual Thompson sampling (src/stats/linear) against context-free Beta Thompson
 * sampling on a world where each user type has a different best action, then its speed.
 *
 *   1. Learning: per window of events, the reward rate and the share of the optimal reward of
 *      both policies (mean over reps), and the events each needs to reach 90% of the optimum.
 *   1b. Pool (`--pools=25,100,400`): the same world decided by the posterior draw pool policy
 *      (rankFromPool; the pool redrawn after every N learned rewards) against exact per-decision
 *      draws: the cost of a stale posterior (batched Thompson sampling). `--skip-pool` skips it.
 *   2. Timings at several dimensions: µs per choose (one posterior draw), per rank (choose +
 *      probabilities from `draws` Monte Carlo draws), per update, per decay with re-factorization.
 *
 *   npx tsx bench/linear-ts.ts [--events=4000] [--window=250] [--reps=5] [--seed=1]
 *     [--types=4] [--actions=8] [--dimension=256] [--runs=5] [--ms=300] [--dims=64,128,256,512,1024]
 *     [--skip-learning] [--skip-timing]
 *
 * The share of optimal uses each decision's expected reward (the world's probability for the
 * chosen action and user type) over the best action's, so it is free of reward noise. Both
 * policies see the same users (one context stream per rep). Timings: median of `runs` windows
 * of `ms` milliseconds after a warm-up window.
 */

import { loadavg } from "node:os";
import { ContextualWorld } from "../src/stats/linear/contextual-world.js";
import { type LinearAction, LinearThompson } from "../src/stats/linear/linear-thompson.js";
import { DEFAULT_LINEAR_THOMPSON_OPTIONS } from "../src/stats/linear/linear-thompson-options.js";
import { ThompsonPolicy } from "../src/stats/policies/thompson.js";
import { BetaBernoulliPosterior } from "../src/stats/posteriors/beta-bernoulli.js";
import { chooseArm } from "../src/stats/ranking/choose-arm.js";
import { createRng } from "../src/stats/rng.js";
import { flag } from "./helpers/flag.js";

const has = (name: string) => process.argv.includes(`--${name}`);

const events = flag("events", 4000);
const window = flag("window", 250);
const reps = flag("reps", 5);
const seed = flag("seed", 1);
const types = flag("types", 4);
const actionCount = flag("actions", 8);
const dimension = flag("dimension", DEFAULT_LINEAR_THOMPSON_OPTIONS.dimension);
const runs = flag("runs", 5);
const windowMs = flag("ms", 300);
const dimsArg = process.argv.find((x) => x.startsWith("--dims="));
const dims = dimsArg ? dimsArg.slice(7).split(",").map(Number) : [64, 128, 256, 512, 1024];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

console.log(`bench/linear-ts: linear Thompson sampling (src/stats/linear) vs context-free Beta Thompson sampling`);
console.log(
  `node ${process.version}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (2 shared cores: timings are noisy)`,
);

if (!has("skip-learning")) learning();
if (!has("skip-pool")) poolLearning();
if (!has("skip-timing")) timing();

function learning(): void {
  const windows = Math.floor(events / window);
  const lin = { rate: new Float64Array(windows), share: new Float64Array(windows), reach: [] as number[] };
  const beta = { rate: new Float64Array(windows), share: new Float64Array(windows), reach: [] as number[] };
  let optimal = 0;
  let contextFree = 0;
  const started = performance.now();
  for (let rep = 0; rep < reps; rep++) {
    const world = new ContextualWorld({ types, actions: actionCount }, createRng(seed * 1000 + rep));
    optimal += world.optimalMean() / reps;
    contextFree += world.contextFreeMean() / reps;
    const model = new LinearThompson({ dimension });
    const arms = world.actions.map(() => new BetaBernoulliPosterior());
    const policy = new ThompsonPolicy();
    const scratch = new Float64Array(arms.length);
    const users = createRng(seed * 7919 + rep);
    const rewardsLin = createRng(seed * 104729 + rep);
    const rewardsBeta = createRng(seed * 104729 + rep);
    const rngLin = createRng(seed * 31 + rep);
    const rngBeta = createRng(seed * 37 + rep);
    const curve = { lin: { got: 0, exp: 0, opt: 0 }, beta: { got: 0, exp: 0, opt: 0 } };
    let reachLin = Number.NaN;
    let reachBeta = Number.NaN;
    for (let n = 0; n < windows * window; n++) {
      const user = world.context(users);
      const opt = world.optimal(user.type);
      const a = model.choose(user.features, world.actions, rngLin).chosen;
      const ra = world.reward(user.type, a, rewardsLin);
      model.update(user.features, world.actions[a]!, ra);
      curve.lin.got += ra;
      curve.lin.exp += world.p[user.type]![a]!;
      curve.lin.opt += opt;
      const b = chooseArm(policy, arms, rngBeta, scratch);
      const rb = world.reward(user.type, b, rewardsBeta);
      arms[b]!.update(rb);
      curve.beta.got += rb;
      curve.beta.exp += world.p[user.type]![b]!;
      curve.beta.opt += opt;
      if ((n + 1) % window === 0) {
        const w = (n + 1) / window - 1;
        const shareLin = curve.lin.exp / curve.lin.opt;
        const shareBeta = curve.beta.exp / curve.beta.opt;
        lin.rate[w]! += curve.lin.got / window / reps;
        lin.share[w]! += shareLin / reps;
        beta.rate[w]! += curve.beta.got / window / reps;
        beta.share[w]! += shareBeta / reps;
        if (Number.isNaN(reachLin) && shareLin >= 0.9) reachLin = n + 1;
        if (Number.isNaN(reachBeta) && shareBeta >= 0.9) reachBeta = n + 1;
        curve.lin = { got: 0, exp: 0, opt: 0 };
        curve.beta = { got: 0, exp: 0, opt: 0 };
      }
    }
    lin.reach.push(reachLin);
    beta.reach.push(reachBeta);
  }
  const seconds = (performance.now() - started) / 1000;

  console.log();
  console.log(
    `1. learning: ${types} user types × ${actionCount} actions, Bernoulli rewards (best action per type 0.5, others` +
      ` uniform in [0.05, 0.3], a different best action for each type); contexts also carry a device, a time of day` +
      ` and an engagement score that do not matter; actions carry a category and a price.`,
  );
  console.log(
    `   ${reps} reps × ${events} events, seed ${seed}; linear TS with default options (d = ${dimension}, λ = 1, σ² = 0.25,` +
      ` interactions, act.id) vs Beta(1, 1) Thompson sampling over the ${actionCount} actions, context-free.`,
  );
  console.log(
    `   optimal reward rate ${optimal.toFixed(3)}; the best a context-free policy can do ${contextFree.toFixed(3)}` +
      ` (${pct(contextFree / optimal)} of optimal); ${seconds.toFixed(1)} s`,
  );
  console.log();
  console.log("   events        linear TS: reward rate  share of optimal   |  Beta TS: reward rate  share of optimal");
  for (let w = 0; w < windows; w++) {
    const range = `${w * window + 1}–${(w + 1) * window}`.padEnd(12);
    console.log(
      `   ${range}  ${lin.rate[w]!.toFixed(3).padStart(20)}  ${pct(lin.share[w]!).padStart(16)}   |  ` +
        `${beta.rate[w]!.toFixed(3).padStart(19)}  ${pct(beta.share[w]!).padStart(16)}`,
    );
  }
  const reach = (xs: number[]) => {
    const m = median(xs.map((x) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x)));
    const each = xs.map((x) => (Number.isNaN(x) ? "never" : String(x))).join(", ");
    return `median ${Number.isFinite(m) ? m : `never (in ${events} events)`} (per rep: ${each})`;
  };
  console.log();
  console.log(`   events until a window of ${window} first reaches 90% of optimal:`);
  console.log(`     linear TS: ${reach(lin.reach)}`);
  console.log(`     Beta TS:   ${reach(beta.reach)}`);
}

/** Linear TS learning with exact per-decision draws vs the pool policy redrawn every N rewards. */
function poolLearning(): void {
  const poolsArg = process.argv.find((x) => x.startsWith("--pools="));
  const everies = poolsArg ? poolsArg.slice(8).split(",").map(Number) : [25, 100, 400];
  const variants: { name: string; every: number }[] = [
    { name: "exact draws", every: 0 },
    ...everies.map((n) => ({ name: `pool, redrawn every ${n}`, every: n })),
  ];
  const thirds = [0, Math.floor(events / 4), Math.floor(events / 2), events];
  console.log();
  console.log(
    `1b. pool policy (M = ${DEFAULT_LINEAR_THOMPSON_OPTIONS.poolSize}) vs exact per-decision draws: same worlds and users as` +
      ` above, ${reps} reps × ${events} events; share of optimal per event range (mean over reps), events to reach 90%`,
  );
  console.log(
    `   variant                     ${thirds
      .slice(1)
      .map((t, i) => `${thirds[i]! + 1}–${t}`.padStart(12))
      .join(" ")}   reach 90% (median; per rep)`,
  );
  for (const v of variants) {
    const shares = new Float64Array(thirds.length - 1);
    const reach: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const world = new ContextualWorld({ types, actions: actionCount }, createRng(seed * 1000 + rep));
      const model = new LinearThompson({ dimension });
      const users = createRng(seed * 7919 + rep);
      const rewards = createRng(seed * 104729 + rep);
      const rng = createRng(seed * 31 + rep);
      let pool = v.every > 0 ? model.drawPool(rng.nextU32()) : undefined;
      let learned = 0;
      const part = { exp: 0, opt: 0 };
      const win = { exp: 0, opt: 0 };
      let reached = Number.NaN;
      let range = 0;
      for (let n = 0; n < events; n++) {
        const user = world.context(users);
        const a =
          pool === undefined
            ? model.choose(user.features, world.actions, rng).chosen
            : model.chooseFromPool(pool, user.features, world.actions, rng);
        model.update(user.features, world.actions[a]!, world.reward(user.type, a, rewards));
        if (pool !== undefined && ++learned % v.every === 0) pool = model.drawPool(rng.nextU32());
        const e = world.p[user.type]![a]!;
        const o = world.optimal(user.type);
        part.exp += e;
        part.opt += o;
        win.exp += e;
        win.opt += o;
        if ((n + 1) % window === 0) {
          if (Number.isNaN(reached) && win.exp / win.opt >= 0.9) reached = n + 1;
          win.exp = 0;
          win.opt = 0;
        }
        if (n + 1 === thirds[range + 1]) {
          shares[range]! += part.exp / part.opt / reps;
          part.exp = 0;
          part.opt = 0;
          range++;
        }
      }
      reach.push(reached);
    }
    const m = median(reach.map((x) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x)));
    console.log(
      `   ${v.name.padEnd(26)}  ${Array.from(shares, (x) => pct(x).padStart(12)).join(" ")}   ${Number.isFinite(m) ? m : "never"}; ` +
        reach.map((x) => (Number.isNaN(x) ? "never" : String(x))).join(", "),
    );
  }
}

/** ~20 features a pair: 15 context features (strings, numbers, booleans in namespaces), 4 per action + its id. */
function timingWorld(): { contexts: unknown[]; actions: LinearAction[] } {
  const rng = createRng(seed);
  const contexts = Array.from({ length: 256 }, () => [
    {
      user: {
        type: `t${rng.nextInt(4)}`,
        country: `c${rng.nextInt(30)}`,
        tier: `tier${rng.nextInt(3)}`,
        tenure: Math.round(100 * rng.next()) / 100,
        returning: rng.next() < 0.5,
      },
    },
    { device: { os: `os${rng.nextInt(3)}`, browser: `b${rng.nextInt(5)}`, mobile: rng.next() < 0.6 } },
    { time: { day: `d${rng.nextInt(7)}`, part: `p${rng.nextInt(4)}`, hour: rng.nextInt(24) / 24 } },
    { page: { section: `s${rng.nextInt(8)}`, depth: rng.nextInt(5) / 5, referrer: `r${rng.nextInt(6)}` } },
    { weather: `w${rng.nextInt(4)}` },
  ]);
  const actions = Array.from({ length: 10 }, (_, a) => ({
    id: `action-${a}`,
    features: [{ item: { category: `cat${a % 4}`, brand: `brand${a % 3}`, price: (a + 1) / 10, fresh: a % 2 === 0 } }],
  }));
  return { contexts, actions };
}

function perCall(op: (i: number) => void, batch: number): number {
  const times: number[] = [];
  let i = 0;
  for (let r = -1; r < runs; r++) {
    let count = 0;
    const start = performance.now();
    let now = start;
    while (now - start < windowMs) {
      for (let b = 0; b < batch; b++) op(i++);
      count += batch;
      now = performance.now();
    }
    if (r >= 0) times.push(((now - start) * 1000) / count);
  }
  return median(times);
}

function timing(): void {
  const { contexts, actions } = timingWorld();
  const probe = new LinearThompson();
  const size = probe.explain(contexts[0], actions[0]!).contributions.length;
  console.log();
  console.log(
    `2. timings: 10 actions, 15 context features + 5 per action (4 + its id) = 20 features a pair,` +
      ` ${size} vector entries with bias and interactions; the model first learns from 2,000 events.`,
  );
  console.log(
    `   median of ${runs} windows of ${windowMs} ms; rank = choose + probabilities from ${DEFAULT_LINEAR_THOMPSON_OPTIONS.draws}` +
      ` (rank/100: 100) Monte Carlo draws; decay = decay(γ) without re-factorization (O(d²));` +
      ` re-factorize = the O(d³/3) Cholesky that decay runs once the prior share falls below 0.5 (every ~690` +
      ` events at γ = 0.999 per event), and merge and load run once; memory = the two d×d arrays.`,
  );
  console.log();
  console.log("        d   memory     choose µs    rank µs   rank/100 µs   update µs   decay µs   re-factorize µs");
  for (const d of dims) {
    const model = new LinearThompson({ dimension: d });
    const rng = createRng(seed + d);
    for (let n = 0; n < 2000; n++) model.update(contexts[n % 256], actions[n % 10]!, n % 3 === 0 ? 1 : 0);
    const choose = perCall((i) => model.choose(contexts[i & 255], actions, rng), 8);
    const rank = perCall((i) => model.rank(contexts[i & 255], actions, rng), 2);
    const rank100 = perCall((i) => model.rank(contexts[i & 255], actions, rng, { draws: 100 }), 2);
    const update = perCall((i) => model.update(contexts[i & 255], actions[i % 10]!, i % 3 === 0 ? 1 : 0), 8);
    // a factor this close to 1 leaves the evidence in place, so every call pays the same O(d²) scaling
    const decay = perCall(() => model.decay(0.999_999), 8);
    const refactor = perCall(() => model.regression.refactorize(), 1);
    const mib = (16 * d * d) / 2 ** 20;
    console.log(
      `   ${String(d).padStart(6)}   ${`${mib < 1 ? mib.toFixed(2) : mib.toFixed(0)} MiB`.padStart(8)}` +
        `  ${choose.toFixed(0).padStart(11)}  ${rank.toFixed(0).padStart(9)}  ${rank100.toFixed(0).padStart(12)}` +
        `  ${update.toFixed(0).padStart(10)}  ${decay.toFixed(0).padStart(9)}  ${refactor.toFixed(0).padStart(16)}`,
    );
  }
}
