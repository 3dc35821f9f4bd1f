import { AnthropicChat } from './anthropicChat.ts';
import type { ChatClient, VendorChatOptions } from './chatClient.ts';
import { GeminiChat } from './geminiChat.ts';
import { LlmModel } from './llmModel.ts';
import { LocalModel } from './localModel.ts';
import type { ModelPort } from './modelPort.ts';
import { OpenAiChat } from './openAiChat.ts';

// Which model the planner, writers and judge use, from the environment: the provider asked
// for, else the first vendor with a key, else the deterministic local model.

export const MODEL_PROVIDERS = ['local', 'openai', 'anthropic', 'gemini'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

// Every variable selectModel reads, for the README.
export const MODEL_ENVIRONMENT: ReadonlyArray<{ name: string; meaning: string; default?: string }> = [
  { name: 'CHIMERA_MODEL_PROVIDER', meaning: 'local|openai|anthropic|gemini; unset: the first of OpenAI, Anthropic, Gemini with a key, else local' },
  { name: 'CHIMERA_MODEL_TIMEOUT_MS', meaning: 'time budget of one LLM call, retries included', default: '30000' },
  { name: 'OPENAI_API_KEY', meaning: 'OpenAI (or OpenAI-compatible) API key' },
  { name: 'OPENAI_BASE_URL', meaning: 'OpenAI-compatible server address, with or without /v1', default: 'https://api.openai.com' },
  { name: 'OPENAI_MODEL', meaning: 'OpenAI model', default: 'gpt-4o-mini' },
  { name: 'ANTHROPIC_API_KEY', meaning: 'Anthropic API key' },
  { name: 'ANTHROPIC_BASE_URL', meaning: 'Anthropic API address', default: 'https://api.anthropic.com' },
  { name: 'ANTHROPIC_MODEL', meaning: 'Anthropic model', default: 'claude-3-5-haiku-latest' },
  { name: 'GEMINI_API_KEY', meaning: 'Gemini API key (GOOGLE_API_KEY, as seed 001 names it, is read when this is unset)' },
  { name: 'GOOGLE_API_KEY', meaning: 'fallback for GEMINI_API_KEY' },
  { name: 'GEMINI_BASE_URL', meaning: 'Gemini API address', default: 'https://generativelanguage.googleapis.com' },
  { name: 'GEMINI_MODEL', meaning: 'Gemini model', default: 'gemini-2.0-flash' },
];

type Env = Record<string, string | undefined>;

type VendorSetting = { keyVars: string[]; modelVar: string; defaultModel: string; baseUrlVar: string; client: (options: VendorChatOptions) => ChatClient };

const VENDORS: Record<Exclude<ModelProvider, 'local'>, VendorSetting> = {
  openai: { keyVars: ['OPENAI_API_KEY'], modelVar: 'OPENAI_MODEL', defaultModel: 'gpt-4o-mini', baseUrlVar: 'OPENAI_BASE_URL', client: (o) => new OpenAiChat(o) },
  anthropic: {
    keyVars: ['ANTHROPIC_API_KEY'],
    modelVar: 'ANTHROPIC_MODEL',
    defaultModel: 'claude-3-5-haiku-latest',
    baseUrlVar: 'ANTHROPIC_BASE_URL',
    client: (o) => new AnthropicChat(o),
  },
  gemini: {
    keyVars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    modelVar: 'GEMINI_MODEL',
    defaultModel: 'gemini-2.0-flash',
    baseUrlVar: 'GEMINI_BASE_URL',
    client: (o) => new GeminiChat(o),
  },
};

// Throws on a configuration that cannot work (an unknown provider, a provider without its
// key, a bad timeout): better to stop at start-up than to fall back silently.
export function selectModel(env: Env = process.env): ModelPort {
  const asked = value(env, 'CHIMERA_MODEL_PROVIDER')?.toLowerCase();
  if (asked !== undefined && !(MODEL_PROVIDERS as readonly string[]).includes(asked)) {
    throw new Error(`CHIMERA_MODEL_PROVIDER=${asked} is not a model provider; use one of ${MODEL_PROVIDERS.join(', ')}`);
  }
  const provider = (asked as ModelProvider | undefined) ?? firstConfigured(env);
  if (provider === 'local') return new LocalModel();
  const vendor = VENDORS[provider];
  const apiKey = vendor.keyVars.map((name) => value(env, name)).find((key) => key !== undefined);
  if (apiKey === undefined) {
    throw new Error(`CHIMERA_MODEL_PROVIDER=${provider} needs ${vendor.keyVars.join(' or ')} to be set`);
  }
  const baseUrl = value(env, vendor.baseUrlVar);
  const client = vendor.client({
    apiKey,
    model: value(env, vendor.modelVar) ?? vendor.defaultModel,
    timeoutMs: timeoutMs(env),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
  return new LlmModel(client);
}

function firstConfigured(env: Env): ModelProvider {
  for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
    if (VENDORS[provider].keyVars.some((name) => value(env, name) !== undefined)) return provider;
  }
  return 'local';
}

function timeoutMs(env: Env): number {
  const raw = value(env, 'CHIMERA_MODEL_TIMEOUT_MS');
  if (raw === undefined) return 30_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`CHIMERA_MODEL_TIMEOUT_MS=${raw} is not a positive whole number of milliseconds`);
  return ms;
}

// An empty variable counts as unset (a blank line in a .env file is not a key).
function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}
