import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { OllamaFailure } from '../core/failures';
import { nodeErrorFor } from '../n8n/errors';

/**
 * A sub-node's failure as n8n shows it on the sub-node: Ollama's text and our hint. The AI
 * Agent gives every tool sub-node to the model, so a model without tool support gets a message
 * that names it and says what to do instead.
 */
export function chatModelError(
	node: INode,
	error: unknown,
	request: { model: string; toolsBound: boolean },
): NodeApiError | NodeOperationError {
	if (!(error instanceof OllamaFailure)) return asSubNodeError(node, error);
	const converted = nodeErrorFor(node, error);
	if (request.toolsBound && error.status === 400 && /does not support tools/.test(error.message)) {
		converted.message = `The model "${request.model}" cannot use tools: ${error.message}`;
		converted.description = `Tools are connected (e.g. tool sub-nodes of an AI Agent), and "${request.model}" has no tools capability. Choose a model that supports tools (the model list marks them with "tools", e.g. llama3.2 or qwen3), remove the tools, or use a Basic LLM Chain, which sends none.`;
	}
	return converted;
}

export function asSubNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof OllamaFailure) return nodeErrorFor(node, error);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}
