import type { GenerateRequest } from '../core/types';
import type { GenerationFields } from '../parameters/generationSettings';

/** Generate's own inputs besides the prompt. */
export type GenerateInput = Pick<
	GenerateRequest,
	'suffix' | 'system' | 'template' | 'context' | 'raw' | 'images'
>;

/** The whole /api/generate body for one item, from its checked inputs (the client adds `stream: true`). */
export function generateBody(
	model: string,
	prompt: string,
	input: GenerateInput,
	shared: GenerationFields,
): GenerateRequest {
	return {
		model,
		prompt,
		suffix: input.suffix,
		system: input.system,
		template: input.template,
		context: input.context,
		raw: input.raw,
		images: input.images,
		// format, options, think, keep_alive, logprobs, top_logprobs: as in Chat.
		...shared,
	};
}
