import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnthropicChat } from './anthropicChat.ts';
import { GeminiChat } from './geminiChat.ts';
import { LlmModel } from './llmModel.ts';
import { LocalModel } from './localModel.ts';
import { OpenAiChat } from './openAiChat.ts';
import { MODEL_ENVIRONMENT, selectModel } from './selectModel.ts';

// Which model the environment selects. Nothing here calls a vendor.
const chatOf = (model: unknown) => {
  assert.ok(model instanceof LlmModel, 'expected an LLM model');
  return model.chat;
};

describe('selectModel', () => {
  it('is the local model when no provider and no key is configured', () => {
    const model = selectModel({});
    assert.ok(model instanceof LocalModel);
    assert.equal(model.provider, 'local');
    assert.ok(selectModel({ OPENAI_API_KEY: '  ', CHIMERA_MODEL_PROVIDER: '' }) instanceof LocalModel, 'blank values count as unset');
  });

  it('takes the first configured vendor: OpenAI, then Anthropic, then Gemini', () => {
    const all = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', GEMINI_API_KEY: 'g' };
    assert.ok(chatOf(selectModel(all)) instanceof OpenAiChat);
    assert.ok(chatOf(selectModel({ ...all, OPENAI_API_KEY: undefined })) instanceof AnthropicChat);
    assert.ok(chatOf(selectModel({ GEMINI_API_KEY: 'g' })) instanceof GeminiChat);
    assert.ok(chatOf(selectModel({ GOOGLE_API_KEY: 'g' })) instanceof GeminiChat, 'seed 001 names the key GOOGLE_API_KEY');
  });

  it('uses each vendor’s default model, or the one configured, and its base URL', () => {
    const defaults = [
      [{ OPENAI_API_KEY: 'k' }, 'openai', 'gpt-4o-mini', 'https://api.openai.com/v1/chat/completions'],
      [{ ANTHROPIC_API_KEY: 'k' }, 'anthropic', 'claude-3-5-haiku-latest', 'https://api.anthropic.com/v1/messages'],
      [{ GEMINI_API_KEY: 'k' }, 'gemini', 'gemini-2.0-flash', 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent'],
    ] as const;
    for (const [env, provider, model, endpoint] of defaults) {
      const selected = selectModel(env);
      const chat = chatOf(selected) as OpenAiChat | AnthropicChat | GeminiChat;
      assert.deepEqual([selected.provider, chat.model, chat.endpoint], [provider, model, endpoint]);
    }
    const openai = chatOf(selectModel({ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'gpt-4.1-mini', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/' })) as OpenAiChat;
    assert.deepEqual([openai.model, openai.endpoint], ['gpt-4.1-mini', 'http://127.0.0.1:9/v1/chat/completions']);
    const anthropic = chatOf(selectModel({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_MODEL: 'claude-sonnet-4-0', ANTHROPIC_BASE_URL: 'http://proxy.local' })) as AnthropicChat;
    assert.deepEqual([anthropic.model, anthropic.endpoint], ['claude-sonnet-4-0', 'http://proxy.local/v1/messages']);
    const gemini = chatOf(selectModel({ GEMINI_API_KEY: 'k', GEMINI_MODEL: 'gemini-2.5-flash', GEMINI_BASE_URL: 'http://gw' })) as GeminiChat;
    assert.deepEqual([gemini.model, gemini.endpoint], ['gemini-2.5-flash', 'http://gw/v1beta/models/gemini-2.5-flash:generateContent']);
  });

  it('follows CHIMERA_MODEL_PROVIDER over the order of keys', () => {
    const keys = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', GEMINI_API_KEY: 'g' };
    assert.ok(selectModel({ ...keys, CHIMERA_MODEL_PROVIDER: 'local' }) instanceof LocalModel);
    assert.ok(chatOf(selectModel({ ...keys, CHIMERA_MODEL_PROVIDER: 'gemini' })) instanceof GeminiChat);
    assert.ok(chatOf(selectModel({ ...keys, CHIMERA_MODEL_PROVIDER: 'Anthropic' })) instanceof AnthropicChat);
  });

  it('refuses a provider asked for without its key, an unknown provider, and a bad timeout', () => {
    assert.throws(() => selectModel({ CHIMERA_MODEL_PROVIDER: 'anthropic', OPENAI_API_KEY: 'k' }), /CHIMERA_MODEL_PROVIDER=anthropic needs ANTHROPIC_API_KEY/);
    assert.throws(() => selectModel({ CHIMERA_MODEL_PROVIDER: 'gemini' }), /GEMINI_API_KEY or GOOGLE_API_KEY/);
    assert.throws(() => selectModel({ CHIMERA_MODEL_PROVIDER: 'openai' }), /OPENAI_API_KEY/);
    assert.throws(() => selectModel({ CHIMERA_MODEL_PROVIDER: 'llama' }), /not a model provider; use one of local, openai, anthropic, gemini/);
    assert.throws(() => selectModel({ OPENAI_API_KEY: 'k', CHIMERA_MODEL_TIMEOUT_MS: 'soon' }), /CHIMERA_MODEL_TIMEOUT_MS=soon/);
  });

  it('lists every variable it reads', () => {
    const names = MODEL_ENVIRONMENT.map((v) => v.name);
    for (const name of ['CHIMERA_MODEL_PROVIDER', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_MODEL', 'ANTHROPIC_BASE_URL', 'GEMINI_API_KEY', 'GEMINI_MODEL', 'GEMINI_BASE_URL']) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(new Set(names).size, names.length);
  });
});
