// The models the emulator knows: what is installed by default, and what the "registry" can pull.

export type Capability =
	'completion' | 'tools' | 'insert' | 'vision' | 'embedding' | 'thinking' | 'image' | 'audio';

/** How a model reasons: in the `thinking` field, inline `<think>` text, or not at all. */
export type ThinkStyle = 'field' | 'inline' | 'none';

/** Describes a model. Only `name` is required; the rest is filled in from the family. */
export interface ModelSeed {
	name: string;
	capabilities?: Capability[];
	family?: string;
	families?: string[];
	architecture?: string;
	parameterSize?: string;
	parameterCount?: number;
	quantizationLevel?: string;
	size?: number;
	contextLength?: number;
	embeddingLength?: number;
	template?: string;
	system?: string;
	parameters?: Record<string, unknown>;
	license?: string;
	thinkStyle?: ThinkStyle;
	/** Fixed reply text for every request to this model (tokenised into chunks). */
	replyText?: string;
	/** Number of reply tokens for this model (default from the config). */
	replyTokens?: number;
}

const llamaTemplate =
	'<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>' +
	'{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>' +
	'{{- end }}<|start_header_id|>assistant<|end_header_id|>\n\n';
const chatmlTemplate =
	'{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}' +
	'{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}' +
	'<|im_start|>assistant\n';

export const DEFAULT_MODELS: ModelSeed[] = [
	{
		name: 'llama3.2:latest',
		capabilities: ['completion', 'tools'],
		family: 'llama',
		parameterSize: '3.2B',
		parameterCount: 3212749888,
		quantizationLevel: 'Q4_K_M',
		size: 2019393189,
		contextLength: 131072,
		embeddingLength: 3072,
		template: llamaTemplate,
		parameters: { stop: ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'] },
		license:
			'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\nLlama 3.2 Version Release Date: September 25, 2024',
	},
	{
		name: 'qwen3:latest',
		capabilities: ['completion', 'tools', 'thinking'],
		family: 'qwen3',
		parameterSize: '8.2B',
		parameterCount: 8190735360,
		quantizationLevel: 'Q4_K_M',
		size: 5225388164,
		contextLength: 40960,
		embeddingLength: 4096,
		template: chatmlTemplate,
		parameters: {
			repeat_penalty: 1,
			stop: ['<|im_start|>', '<|im_end|>'],
			temperature: 0.6,
			top_k: 20,
			top_p: 0.95,
		},
		license: 'Apache License\nVersion 2.0, January 2004',
		thinkStyle: 'field',
	},
	{
		name: 'deepseek-r1:latest',
		capabilities: ['completion'],
		family: 'qwen2',
		parameterSize: '7.6B',
		parameterCount: 7615616512,
		quantizationLevel: 'Q4_K_M',
		size: 4683075271,
		contextLength: 131072,
		embeddingLength: 3584,
		template: '{{- if .System }}{{ .System }}{{ end }}<｜User｜>{{ .Prompt }}<｜Assistant｜>',
		parameters: {
			stop: ['<｜begin▁of▁sentence｜>', '<｜end▁of▁sentence｜>', '<｜User｜>', '<｜Assistant｜>'],
		},
		license: 'MIT License\n\nCopyright (c) 2023 DeepSeek',
		thinkStyle: 'inline',
	},
	{
		name: 'llava:latest',
		capabilities: ['completion', 'vision'],
		family: 'llama',
		families: ['llama', 'clip'],
		parameterSize: '7B',
		parameterCount: 7241732096,
		quantizationLevel: 'Q4_0',
		size: 4733363377,
		contextLength: 32768,
		embeddingLength: 4096,
		template: '[INST] {{ if .System }}{{ .System }} {{ end }}{{ .Prompt }} [/INST]',
		parameters: { stop: ['[INST]', '[/INST]'] },
		license: 'Apache License\nVersion 2.0, January 2004',
	},
	{
		name: 'codellama:code',
		capabilities: ['completion', 'insert'],
		family: 'llama',
		parameterSize: '7B',
		parameterCount: 6738546688,
		quantizationLevel: 'Q4_0',
		size: 3825910662,
		contextLength: 16384,
		embeddingLength: 4096,
		template:
			'{{ if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>{{ else }}{{ .Prompt }}{{ end }}',
		parameters: { stop: ['<EOT>'] },
		license: 'LLAMA 2 COMMUNITY LICENSE AGREEMENT',
	},
	{
		name: 'nomic-embed-text:latest',
		capabilities: ['embedding'],
		family: 'nomic-bert',
		parameterSize: '137M',
		parameterCount: 136727040,
		quantizationLevel: 'F16',
		size: 274302450,
		contextLength: 2048,
		embeddingLength: 768,
		template: '{{ .Prompt }}',
		parameters: { num_ctx: 8192 },
		license: 'Apache License\nVersion 2.0, January 2004',
	},
	{
		name: 'all-minilm:latest',
		capabilities: ['embedding'],
		family: 'bert',
		parameterSize: '23M',
		parameterCount: 22565376,
		quantizationLevel: 'F16',
		size: 45960996,
		contextLength: 512,
		embeddingLength: 384,
		template: '{{ .Prompt }}',
		license: 'Apache License\nVersion 2.0, January 2004',
	},
];

/** What `/api/pull` can find, besides the default models. */
export const REMOTE_MODELS: ModelSeed[] = [
	...DEFAULT_MODELS,
	{
		name: 'mistral:latest',
		capabilities: ['completion', 'tools'],
		family: 'llama',
		parameterSize: '7.2B',
		parameterCount: 7248023552,
		quantizationLevel: 'Q4_K_M',
		size: 4372824384,
		contextLength: 32768,
		embeddingLength: 4096,
		template: '[INST] {{ if .System }}{{ .System }} {{ end }}{{ .Prompt }}[/INST]',
		parameters: { stop: ['[INST]', '[/INST]'] },
		license: 'Apache License\nVersion 2.0, January 2004',
	},
	{
		name: 'gemma3:latest',
		capabilities: ['completion', 'vision'],
		family: 'gemma3',
		parameterSize: '4.3B',
		parameterCount: 4299915632,
		quantizationLevel: 'Q4_K_M',
		size: 3338801804,
		contextLength: 131072,
		embeddingLength: 2560,
		template:
			'{{- range .Messages }}<start_of_turn>{{ .Role }}\n{{ .Content }}<end_of_turn>\n{{ end }}<start_of_turn>model\n',
		parameters: { stop: ['<end_of_turn>'], temperature: 1, top_k: 64, top_p: 0.95 },
		license: 'Gemma Terms of Use',
	},
	{
		name: 'phi3:latest',
		capabilities: ['completion'],
		family: 'phi3',
		parameterSize: '3.8B',
		parameterCount: 3821079552,
		quantizationLevel: 'Q4_0',
		size: 2176178913,
		contextLength: 131072,
		embeddingLength: 3072,
		template:
			'{{ if .System }}<|system|>\n{{ .System }}<|end|>\n{{ end }}<|user|>\n{{ .Prompt }}<|end|>\n<|assistant|>\n',
		parameters: { stop: ['<|end|>', '<|user|>', '<|assistant|>'] },
		license: 'Microsoft.\nCopyright (c) Microsoft Corporation.\n\nMIT License',
	},
	{
		name: 'llama3.2:1b',
		capabilities: ['completion', 'tools'],
		family: 'llama',
		parameterSize: '1.2B',
		parameterCount: 1235814432,
		quantizationLevel: 'Q8_0',
		size: 1321098329,
		contextLength: 131072,
		embeddingLength: 2048,
		template: llamaTemplate,
		parameters: { stop: ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'] },
		license: 'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT',
	},
];
