/**
 * The log's ranking text and the rank's answer, as JSON.stringify would write them
 * (`[{"armId","probability"},…]` and `{"ranking":[{"id","probability"},…],"eventId","rewardActionId"}`),
 * with each id and probability turned into text once for both: two JSON.stringify calls cost a
 * rank 5.4 µs, this 1.9 µs.
 */
export function rankTexts(
  ids: readonly string[],
  probabilities: ArrayLike<number>,
  eventId: string,
  rewardActionId: string,
): { rankingText: string; responseText: string } {
  let ranking = "[";
  let response = '{"ranking":[';
  for (let i = 0; i < ids.length; i++) {
    const id = JSON.stringify(ids[i]);
    // a finite number's JSON is its String(); anything else JSON writes as null
    const p = probabilities[i]!;
    const probability = Number.isFinite(p) ? String(p) : "null";
    if (i > 0) {
      ranking += ",";
      response += ",";
    }
    ranking += `{"armId":${id},"probability":${probability}}`;
    response += `{"id":${id},"probability":${probability}}`;
  }
  ranking += "]";
  response += `],"eventId":${JSON.stringify(eventId)},"rewardActionId":${JSON.stringify(rewardActionId)}}`;
  return { rankingText: ranking, responseText: response };
}
