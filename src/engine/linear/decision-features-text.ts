import type { DecisionFeatures } from "../../domain/decision.js";
import type { FeatureTexts } from "../../stats/linear/linear-thompson.js";

/** The fields written below, in DecisionFeatures' order. */
const WRITTEN = new Set(["context", "actions", "excluded", "modelArmId"]);

/**
 * JSON.stringify(features), assembled from the texts the decision already made of its context
 * and action features (for the size check and the model's cache): serializing the whole log
 * record again cost a rank about as much as its SQLite insert. `texts` must be those of
 * `features.context` and, in order, of `features.actions[i].features` ("null" for an action
 * without features, which the record lists as `{id}`).
 *
 * `spans`, when given, receives where each action's `"features":…` member sits in the text:
 * start and end offsets per action, in order, -1 and -1 for an action without features (the log
 * stores an action's features once per experiment: Decision.featureSpans). It stays empty when
 * the text was not assembled here.
 */
export function decisionFeaturesText(features: DecisionFeatures, texts: FeatureTexts, spans?: number[]): string {
  // a field this writer does not know (added to DecisionFeatures later) must not go missing from the log
  for (const key in features) if (!WRITTEN.has(key)) return JSON.stringify(features);
  let out = `{"context":${texts.context},"actions":[`;
  const actions = features.actions;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (i > 0) out += ",";
    out += `{"id":${JSON.stringify(a.id)}`;
    if (a.features !== undefined) {
      out += ",";
      spans?.push(out.length);
      out += `"features":${texts.actions[i]!}`;
      spans?.push(out.length);
    } else spans?.push(-1, -1);
    out += "}";
  }
  out += "]";
  if (features.excluded !== undefined) out += `,"excluded":${JSON.stringify(features.excluded)}`;
  if (features.modelArmId !== undefined) out += `,"modelArmId":${JSON.stringify(features.modelArmId)}`;
  return `${out}}`;
}
