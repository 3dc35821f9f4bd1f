import { z } from 'zod';
import { withoutTrailingSlash, type ChatClient, type ChatReply, type ChatRequest, type VendorChatOptions } from './chatClient.ts';
import { ModelCallError } from './modelCallError.ts';
import { postVendorRequest } from './postVendorRequest.ts';

// OpenAI Chat Completions (`POST /v1/chat/completions`), which many gateways and local servers
// also speak. The OpenAI SDK's OPENAI_BASE_URL conventionally ends in /v1; both forms work.
const OpenAiAnswer = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }) }))
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).optional(),
});

export class OpenAiChat implements ChatClient {
  readonly provider = 'openai';
  readonly model: string;
  // Where requests go (shown in diagnostics; never carries the key).
  readonly endpoint: string;

  constructor(private readonly options: VendorChatOptions) {
    this.model = options.model;
    const base = withoutTrailingSlash(options.baseUrl ?? 'https://api.openai.com');
    this.endpoint = base.endsWith('/v1') ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
  }

  async complete(request: ChatRequest): Promise<ChatReply> {
    const body = JSON.stringify({
      model: this.model,
      messages: [{ role: 'system', content: request.system }, ...request.turns.map((t) => ({ role: t.role, content: t.text }))],
      // OpenAI's reasoning models (o1, o3, o4-mini, gpt-5...) refuse max_tokens and any
      // temperature but the default; everything else, compatible servers included, takes these.
      ...(isReasoningModel(this.model) ? { max_completion_tokens: request.maxTokens } : { temperature: request.temperature, max_tokens: request.maxTokens }),
      ...(request.json ? { response_format: { type: 'json_object' } } : {}),
    });
    const answer = await postVendorRequest(
      { provider: this.provider, model: this.model, url: this.endpoint, headers: { authorization: `Bearer ${this.options.apiKey}` }, body },
      this.options,
    );
    const parsed = OpenAiAnswer.safeParse(answer);
    if (!parsed.success) throw this.badResponse(`unexpected answer shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const message = parsed.data.choices[0]!.message;
    if (typeof message.content !== 'string') throw this.badResponse(`no text in the answer${message.refusal ? `; refusal: ${message.refusal}` : ''}`);
    return {
      text: message.content,
      inputTokens: parsed.data.usage?.prompt_tokens ?? 0,
      outputTokens: parsed.data.usage?.completion_tokens ?? 0,
      requestBody: body,
    };
  }

  private badResponse(why: string): ModelCallError {
    return new ModelCallError('bad_response', `${this.provider} (${this.model}): ${why}`, { provider: this.provider, model: this.model });
  }
}

function isReasoningModel(model: string): boolean {
  return /^(?:o\d|gpt-5)/.test(model);
}
