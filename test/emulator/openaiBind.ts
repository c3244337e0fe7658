// The Go shapes of Ollama's OpenAI-compatible request types (O:openai/openai.go), for bind():
// the /v1 middleware binds the body with gin's ShouldBindJSON before it converts it.

import { Tool, type Struct } from './bind';

const streamOptions: Struct = {
	name: 'StreamOptions',
	fields: { include_usage: 'bool' },
};

const toolCall: Struct = {
	name: 'ToolCall',
	fields: {
		id: 'string',
		index: 'int',
		type: 'string',
		function: {
			// An anonymous struct: Go names no owner and spells the type out.
			struct: { name: '', fields: { name: 'string', arguments: 'string' } },
			type: 'struct { Name string "json:\\"name\\""; Arguments string "json:\\"arguments\\"" }',
		},
	},
};

const message: Struct = {
	name: 'Message',
	fields: {
		role: 'string',
		content: 'any',
		reasoning: 'string',
		tool_calls: { slice: { struct: toolCall }, type: '[]openai.ToolCall' },
		name: 'string',
		tool_call_id: 'string',
	},
};

export const ChatCompletionRequest: Struct = {
	name: 'ChatCompletionRequest',
	pkg: 'openai',
	fields: {
		model: 'string',
		messages: { slice: { struct: message }, type: '[]openai.Message' },
		stream: 'bool',
		stream_options: { struct: streamOptions, type: 'openai.StreamOptions' },
		max_tokens: 'int',
		seed: 'int',
		stop: 'any',
		temperature: 'float',
		frequency_penalty: 'float',
		presence_penalty: 'float',
		top_p: 'float',
		response_format: {
			struct: {
				name: 'ResponseFormat',
				fields: {
					type: 'string',
					json_schema: {
						struct: { name: 'JsonSchema', fields: { schema: 'any' } },
						type: 'openai.JsonSchema',
					},
				},
			},
			type: 'openai.ResponseFormat',
		},
		tools: { slice: { struct: Tool }, type: '[]api.Tool' },
		reasoning: {
			struct: { name: 'Reasoning', fields: { effort: 'string' } },
			type: 'openai.Reasoning',
		},
		reasoning_effort: 'string',
		logprobs: 'bool',
		top_logprobs: 'int',
		_debug_render_only: 'bool',
	},
};

export const CompletionRequest: Struct = {
	name: 'CompletionRequest',
	pkg: 'openai',
	fields: {
		model: 'string',
		prompt: 'string',
		frequency_penalty: 'float32',
		max_tokens: 'int',
		presence_penalty: 'float32',
		seed: 'int',
		stop: 'any',
		stream: 'bool',
		stream_options: { struct: streamOptions, type: 'openai.StreamOptions' },
		temperature: 'float32',
		top_p: 'float32',
		suffix: 'string',
		logprobs: 'int',
		_debug_render_only: 'bool',
	},
};

export const OpenAIEmbedRequest: Struct = {
	name: 'EmbedRequest',
	pkg: 'openai',
	fields: { input: 'any', model: 'string', dimensions: 'int', encoding_format: 'string' },
};

export interface StreamOptionsBody {
	include_usage?: boolean;
}
