/** An action's features text, to store once for its experiment. */
export interface FeatureText {
  experimentId: string;
  digest: string;
  text: string;
}

/** The action texts a commit's decisions refer to, each once by experiment and digest. */
export class CommitTexts {
  readonly #byExperiment = new Map<string, Map<string, FeatureText>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(experimentId: string, digest: string, text: string): void {
    let texts = this.#byExperiment.get(experimentId);
    if (texts === undefined) {
      texts = new Map();
      this.#byExperiment.set(experimentId, texts);
    }
    if (texts.has(digest)) return;
    texts.set(digest, { experimentId, digest, text });
    this.#size++;
  }

  /** Every text, grouped by experiment. */
  list(): FeatureText[] {
    const out: FeatureText[] = [];
    for (const texts of this.#byExperiment.values()) out.push(...texts.values());
    return out;
  }
}
