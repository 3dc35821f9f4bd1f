import { z } from 'zod';
import { withoutTrailingSlash, type ChatClient, type ChatReply, type ChatRequest, type VendorChatOptions } from './chatClient.ts';
import { ModelCallError } from './modelCallError.ts';
import { postVendorRequest } from './postVendorRequest.ts';

// Gemini API (`POST /v1beta/models/{model}:generateContent`, key in x-goog-api-key rather
// than the URL, so that it never shows up in logged addresses).
const GeminiAnswer = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(z.object({ text: z.string().optional() })).optional() }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z
    .object({
      promptTokenCount: z.number().optional(),
      candidatesTokenCount: z.number().optional(),
      // Thinking models bill their thoughts as output tokens.
      thoughtsTokenCount: z.number().optional(),
    })
    .optional(),
});

export class GeminiChat implements ChatClient {
  readonly provider = 'gemini';
  readonly model: string;
  // Where requests go (shown in diagnostics; never carries the key).
  readonly endpoint: string;

  constructor(private readonly options: VendorChatOptions) {
    this.model = options.model.replace(/^models\//, '');
    const base = withoutTrailingSlash(options.baseUrl ?? 'https://generativelanguage.googleapis.com');
    const root = base.endsWith('/v1beta') ? base : `${base}/v1beta`;
    this.endpoint = `${root}/models/${encodeURIComponent(this.model)}:generateContent`;
  }

  async complete(request: ChatRequest): Promise<ChatReply> {
    const body = JSON.stringify({
      systemInstruction: { parts: [{ text: request.system }] },
      contents: request.turns.map((t) => ({ role: t.role === 'assistant' ? 'model' : 'user', parts: [{ text: t.text }] })),
      generationConfig: {
        temperature: request.temperature,
        maxOutputTokens: request.maxTokens,
        ...(request.json ? { responseMimeType: 'application/json' } : {}),
      },
    });
    const answer = await postVendorRequest(
      { provider: this.provider, model: this.model, url: this.endpoint, headers: { 'x-goog-api-key': this.options.apiKey }, body },
      this.options,
    );
    const parsed = GeminiAnswer.safeParse(answer);
    if (!parsed.success) throw this.badResponse(`unexpected answer shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const candidate = parsed.data.candidates?.[0];
    const texts = (candidate?.content?.parts ?? []).flatMap((part) => (typeof part.text === 'string' ? [part.text] : []));
    if (texts.length === 0) {
      const why = parsed.data.promptFeedback?.blockReason ?? candidate?.finishReason ?? 'no candidates';
      throw this.badResponse(`no text in the answer (${why})`);
    }
    const usage = parsed.data.usageMetadata;
    return {
      text: texts.join(''),
      inputTokens: usage?.promptTokenCount ?? 0,
      outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      requestBody: body,
    };
  }

  private badResponse(why: string): ModelCallError {
    return new ModelCallError('bad_response', `${this.provider} (${this.model}): ${why}`, { provider: this.provider, model: this.model });
  }
}
