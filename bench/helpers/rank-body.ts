/**
 * The rank call of the Personalizer benchmarks: 10 actions with 10 features each (two
 * namespaces, and their ids) and 10 context features in three namespaces, so 20 a pair.
 */
export const rankActions = Array.from({ length: 10 }, (_, a) => ({
  id: `article-${a}`,
  features: [
    { topic: { name: `t${a % 4}`, sub: `s${a}` }, length: 100 + a * 10, fresh: a % 2 === 0 },
    { source: { site: `site${a % 3}`, author: `au${a}` }, score: a / 10, tags: [`g${a % 2}`, `h${a % 5}`] },
  ],
}));

/** The rank body's JSON text, with the user's age as given (34 in the HTTP benchmark). */
export function rankBody(age = 34): string {
  const contextFeatures = [
    { user: { type: "returning", country: "de", age, tier: "gold" } },
    { device: { os: "ios", browser: "safari", mobile: true } },
    { time: { hour: 9, weekday: "tue", season: "winter" } },
  ];
  return JSON.stringify({ contextFeatures, actions: rankActions });
}
