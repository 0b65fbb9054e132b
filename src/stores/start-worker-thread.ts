import { Worker } from "node:worker_threads";

/**
 * A worker thread running the module `name` next to the caller (`importMetaUrl`): the compiled
 * `<name>.js`, or from the TypeScript sources (tests, benches, dev) `<name>.ts` with tsx
 * registered first: Node 20 workers do not inherit the parent's loader hooks.
 */
export function startWorkerThread(importMetaUrl: string, name: string, workerData: unknown): Worker {
  const fromSources = importMetaUrl.endsWith(".ts");
  const entry = new URL(`./${name}.${fromSources ? "ts" : "js"}`, importMetaUrl);
  if (!fromSources) return new Worker(entry, { workerData });
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
