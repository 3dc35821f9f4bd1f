import { z } from 'zod';
import { withoutTrailingSlash, type ChatClient, type ChatReply, type ChatRequest, type VendorChatOptions } from './chatClient.ts';
import { ModelCallError } from './modelCallError.ts';
import { postVendorRequest } from './postVendorRequest.ts';

// Anthropic Messages API (`POST /v1/messages`, version header 2023-06-01). It has no JSON
// switch: the prompt asks for JSON and the LLM model repairs once if the answer is not.
const AnthropicAnswer = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullable().optional(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).optional(),
});

export const ANTHROPIC_VERSION = '2023-06-01';

export class AnthropicChat implements ChatClient {
  readonly provider = 'anthropic';
  readonly model: string;
  // Where requests go (shown in diagnostics; never carries the key).
  readonly endpoint: string;

  constructor(private readonly options: VendorChatOptions) {
    this.model = options.model;
    const base = withoutTrailingSlash(options.baseUrl ?? 'https://api.anthropic.com');
    this.endpoint = base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
  }

  async complete(request: ChatRequest): Promise<ChatReply> {
    const body = JSON.stringify({
      model: this.model,
      max_tokens: request.maxTokens,
      system: request.system,
      messages: request.turns.map((t) => ({ role: t.role, content: t.text })),
      temperature: request.temperature,
    });
    const answer = await postVendorRequest(
      {
        provider: this.provider,
        model: this.model,
        url: this.endpoint,
        headers: { 'x-api-key': this.options.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
        body,
      },
      this.options,
    );
    const parsed = AnthropicAnswer.safeParse(answer);
    if (!parsed.success) throw this.badResponse(`unexpected answer shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const texts = parsed.data.content.filter((block) => block.type === 'text' && typeof block.text === 'string').map((block) => block.text!);
    if (texts.length === 0) throw this.badResponse(`no text in the answer (stop_reason ${parsed.data.stop_reason ?? 'unknown'})`);
    return {
      text: texts.join(''),
      inputTokens: parsed.data.usage?.input_tokens ?? 0,
      outputTokens: parsed.data.usage?.output_tokens ?? 0,
      requestBody: body,
    };
  }

  private badResponse(why: string): ModelCallError {
    return new ModelCallError('bad_response', `${this.provider} (${this.model}): ${why}`, { provider: this.provider, model: this.model });
  }
}
