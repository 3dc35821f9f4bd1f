import assert from 'node:assert/strict';
import { it } from 'node:test';
import { callCostUsd, modelPrice } from './modelPrices.ts';

it('prices a dated or aliased model id by the longest known prefix', () => {
  assert.deepEqual(modelPrice('gpt-4o-mini-2024-07-18'), { inputPerMillion: 0.15, outputPerMillion: 0.6 });
  assert.deepEqual(modelPrice('gpt-4o-2024-08-06'), { inputPerMillion: 2.5, outputPerMillion: 10 });
  assert.deepEqual(modelPrice('claude-3-5-haiku-latest'), { inputPerMillion: 0.8, outputPerMillion: 4 });
  assert.deepEqual(modelPrice('gemini-2.0-flash-lite-001'), { inputPerMillion: 0.075, outputPerMillion: 0.3 });
  assert.equal(modelPrice('gpt-4omni'), undefined, 'a prefix must end at a dash');
});

it('costs tokens at the per-million price, and an unknown model at 0', () => {
  assert.equal(callCostUsd('gpt-4o-mini', 1_000_000, 1_000_000), 0.75);
  assert.equal(callCostUsd('claude-3-5-haiku-latest', 1200, 300), 0.00216);
  assert.equal(callCostUsd('my-finetune', 1_000_000, 1_000_000), 0);
  assert.equal(callCostUsd('my-finetune', 1_000_000, 0, { 'my-finetune': { inputPerMillion: 2, outputPerMillion: 4 } }), 2);
});
