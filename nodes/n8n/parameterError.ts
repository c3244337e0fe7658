import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A parameter's value cannot be used: the message says why, the description which parameter. */
export type ParameterError = (
	label: string,
	message: string,
	detail?: string,
) => NodeOperationError;

export interface ParameterErrorStyle {
	/** "option" for a field inside the Options collection. */
	kind?: 'parameter' | 'option';
	/** Also name the item in the description (Embed, whose items are sent in batches). */
	nameItem?: boolean;
}

/** The one way a reader refuses a value: `Check the "Label" parameter.` with the item index set. */
export function parameterErrors(
	context: { getNode(): INode },
	itemIndex: number,
	style: ParameterErrorStyle = {},
): ParameterError {
	const kind = style.kind ?? 'parameter';
	const where = style.nameItem ? ` of item ${itemIndex}` : '';
	return (label, message, detail) =>
		new NodeOperationError(context.getNode(), message, {
			itemIndex,
			description: `Check the "${label}" ${kind}${where}${detail ? `: ${detail}` : '.'}`,
		});
}
