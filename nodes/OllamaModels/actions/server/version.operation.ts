import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OllamaClient } from '../../../core/client';

export const description = updateDisplayOptions(
	{ show: { resource: ['server'], operation: ['version'] } },
	[],
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const { version } = await client.version();
	return { version, baseUrl: client.displayUrl };
}
