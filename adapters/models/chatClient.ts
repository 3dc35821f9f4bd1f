// What the LLM model needs from a vendor: one chat completion. Each vendor client
// (openAiChat, anthropicChat, geminiChat) maps this onto its own HTTP API.

export type ChatTurn = { role: 'user' | 'assistant'; text: string };

export type ChatRequest = {
  system: string;
  turns: ChatTurn[];
  // Ask the vendor for a JSON answer where it has a switch for it.
  json: boolean;
  maxTokens: number;
  temperature: number;
};

export type ChatReply = {
  text: string;
  inputTokens: number;
  outputTokens: number;
  // The exact body sent (the last attempt's; retries resend the same bytes), for promptHash.
  requestBody: string;
};

export interface ChatClient {
  readonly provider: string;
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatReply>;
}

// What every vendor client is configured with.
export type VendorChatOptions = {
  apiKey: string;
  model: string;
  // Overrides the vendor's address (proxies, gateways, test stand-ins).
  baseUrl?: string;
  // Budget for the whole call, retries and back-off included (default 30 s).
  timeoutMs?: number;
  // Attempts in all, on 429, 5xx and network errors (default 3).
  maxAttempts?: number;
  // First back-off; doubles after each failed attempt (default 500 ms).
  backoffMs?: number;
  // Longest single wait, also caps a vendor's Retry-After (default 8 s).
  maxBackoffMs?: number;
};

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
