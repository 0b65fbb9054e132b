/** The learning settings of a new loop and after DELETE configurations/policy (Personalizer's documented default). */
export const DEFAULT_POLICY = {
  name: "default",
  arguments: "--cb_explore_adf --epsilon 0.2 --power_t 0 -l 0.001 --cb_type mtr -q ::",
} as const;
