// What a model call costs, from the vendors' published list prices (USD per million tokens,
// standard tier, short prompts; as published in 2025 — check before relying on them for
// billing). A dated model id ("gpt-4o-mini-2024-07-18", "claude-3-5-haiku-latest") is priced
// by the longest key it starts with. A model not in the table costs 0: that means "unknown",
// not "free" — pass `prices` to LlmModel to price it.

export type ModelPrice = { inputPerMillion: number; outputPerMillion: number };
export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

const price = (inputPerMillion: number, outputPerMillion: number): ModelPrice => ({ inputPerMillion, outputPerMillion });

export const MODEL_PRICES: ModelPriceTable = {
  // OpenAI
  'gpt-4o-mini': price(0.15, 0.6),
  'gpt-4o': price(2.5, 10),
  'gpt-4.1': price(2, 8),
  'gpt-4.1-mini': price(0.4, 1.6),
  'gpt-4.1-nano': price(0.1, 0.4),
  'gpt-5': price(1.25, 10),
  'gpt-5-mini': price(0.25, 2),
  'gpt-5-nano': price(0.05, 0.4),
  'o3-mini': price(1.1, 4.4),
  'o4-mini': price(1.1, 4.4),
  // Anthropic
  'claude-3-haiku': price(0.25, 1.25),
  'claude-3-5-haiku': price(0.8, 4),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-sonnet': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-opus-4': price(15, 75),
  'claude-opus-4-5': price(5, 25),
  // Google
  'gemini-1.5-flash': price(0.075, 0.3),
  'gemini-1.5-pro': price(1.25, 5),
  'gemini-2.0-flash': price(0.1, 0.4),
  'gemini-2.0-flash-lite': price(0.075, 0.3),
  'gemini-2.5-flash': price(0.3, 2.5),
  'gemini-2.5-flash-lite': price(0.1, 0.4),
  'gemini-2.5-pro': price(1.25, 10),
};

export function modelPrice(model: string, table: ModelPriceTable = MODEL_PRICES): ModelPrice | undefined {
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if ((model === key || model.startsWith(`${key}-`)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

export function callCostUsd(model: string, inputTokens: number, outputTokens: number, table: ModelPriceTable = MODEL_PRICES): number {
  const found = modelPrice(model, table);
  if (!found) return 0;
  const usd = (inputTokens * found.inputPerMillion + outputTokens * found.outputPerMillion) / 1_000_000;
  return Math.round(usd * 1e10) / 1e10; // drop float noise below a ten-billionth of a dollar
}
