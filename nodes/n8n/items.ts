import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mapInOrder } from '../core/concurrency';
import { OllamaFailure } from '../core/failures';
import { nodeErrorFor } from './errors';

export type ItemResult = IDataObject | IDataObject[];

/**
 * Runs `task` for every input item, at most `concurrency` at a time, and returns the output in
 * input order with `pairedItem` on every item. A failing item becomes an error item under
 * Continue On Fail; otherwise its error (naming the item) stops the node.
 */
export async function runPerItem(
	context: IExecuteFunctions,
	concurrency: number,
	task: (itemIndex: number) => Promise<ItemResult>,
): Promise<INodeExecutionData[]> {
	const count = context.getInputData().length;
	const outcomes = await mapInOrder(count, concurrency, task, {
		signal: context.getExecutionCancelSignal(),
		notStarted: (i) =>
			new NodeOperationError(
				context.getNode(),
				'The execution was stopped before this item started.',
				{
					itemIndex: i,
				},
			),
	});

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < outcomes.length; i++) {
		const outcome = outcomes[i];
		if (outcome.ok) {
			output.push(...toExecutionData(outcome.value, i));
			continue;
		}
		const error = asNodeError(context, outcome.error, i);
		if (!context.continueOnFail()) throw error;
		const json: IDataObject = { error: error.message };
		if (error.description) json.description = error.description;
		if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
		output.push({ json, pairedItem: { item: i } });
	}
	return output;
}

function toExecutionData(value: ItemResult, item: number): INodeExecutionData[] {
	return (Array.isArray(value) ? value : [value]).map((json) => ({ json, pairedItem: { item } }));
}

/** Every failure leaves the node as an n8n error that names its item: the one place client failures become n8n errors. */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof OllamaFailure) return nodeErrorFor(context.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
