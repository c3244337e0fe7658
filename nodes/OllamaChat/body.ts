import type { ChatRequest, Message, Tool } from '../core/types';
import type { GenerationFields } from '../parameters/generationSettings';

/** The whole /api/chat body for one item, from its checked inputs (the client adds `stream: true`). */
export function chatBody(
	model: string,
	input: { messages: Message[]; tools?: Tool[] },
	shared: GenerationFields,
): ChatRequest {
	return {
		model,
		messages: input.messages,
		tools: input.tools,
		format: shared.format,
		options: shared.options,
		think: shared.think,
		keep_alive: shared.keep_alive,
		logprobs: shared.logprobs,
		top_logprobs: shared.top_logprobs,
	};
}
