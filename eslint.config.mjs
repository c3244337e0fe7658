// n8n's verification rules: the community-nodes plugin plus the three eslint-plugin-n8n-nodes-base
// rulesets, with the same exceptions n8n's own scanner and `n8n-node lint` make.
import { configs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tsParser from '@typescript-eslint/parser';

export default [
	{
		ignores: [
			'dist/**',
			'.build/**',
			'node_modules/**',
			'test/**',
			'bench/**',
			'scripts/**',
			'examples/**',
			'*.config.{js,mjs}',
			'.prettierrc.js',
			'gulpfile.js',
			'**/*.test.ts',
		],
	},
	configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// The layering: the Ollama client core knows nothing of n8n. Its host hands it the HTTP
		// call, a timer and the stop signal (nodes/n8n/), so other hosts can use it as it is.
		files: ['nodes/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(?!\\./)',
							message:
								'nodes/core imports only its own files (./…): no n8n packages, no other layer. Take what n8n provides as a parameter (see ClientHost).',
						},
					],
				},
			],
		},
	},
	{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser: tsParser } },
];
