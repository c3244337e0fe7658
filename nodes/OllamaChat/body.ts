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
		// format, options, think, keep_alive, logprobs, top_logprobs: as in Generate.
		...shared,
	};
}
