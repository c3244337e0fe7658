import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readClientSettings } from '../../parameters/reliability';
import type { OllamaClient } from '../../core/client';
import { connectClient } from '../../n8n/client';
import type { ItemResult } from '../../n8n/items';
import { runPerItem } from '../../n8n/items';
import * as model from './model';
import * as running from './running';
import * as server from './server';

type Execute = (this: IExecuteFunctions, client: OllamaClient, i: number) => Promise<ItemResult>;

const resources: Record<string, Record<string, { execute: Execute }>> = {
	model: model.operations,
	running: running.operations,
	server: server.operations,
};

/** Items one after another: management calls are cheap, and a pull should not race another. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await connectClient(this, readClientSettings(this));
	const output = await runPerItem(this, 1, async (i) => {
		const resource = this.getNodeParameter('resource', i) as string;
		const operation = this.getNodeParameter('operation', i) as string;
		return await resources[resource][operation].execute.call(this, client, i);
	});
	return [output];
}
