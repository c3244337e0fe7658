import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

type Sdk = typeof import('@n8n/ai-node-sdk');

/** n8n's AI node SDK, which n8n provides to community nodes; absent from n8n before 2.x. */
export const SDK_PACKAGE = '@n8n/ai-node-sdk';

/**
 * Loads the SDK when the sub-node runs, not when n8n loads the package: the other nodes then
 * work on an n8n without it, and this sub-node says what it needs instead of "Cannot find module".
 */
export async function loadSdk(
	node: INode,
	load: () => Promise<Sdk> = async () => await import('@n8n/ai-node-sdk'),
): Promise<Sdk> {
	try {
		return await load();
	} catch (error) {
		if (!isMissing(error)) throw new NodeOperationError(node, error as Error);
		throw new NodeOperationError(
			node,
			`"${node.name}" needs n8n with the AI node SDK (n8n 2.x or later, with ${SDK_PACKAGE}); this n8n does not provide ${SDK_PACKAGE}.`,
			{
				description:
					"Update n8n to a version that includes @n8n/ai-node-sdk, or use the Ollama Chat node, which works on any n8n. The package's other nodes do not need the SDK.",
			},
		);
	}
}

function isMissing(error: unknown): boolean {
	const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
	return (
		(code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
		typeof message === 'string' &&
		// The first line names the missing module; the require stack below may name the SDK.
		message.split('\n')[0].includes(`'${SDK_PACKAGE}'`)
	);
}
