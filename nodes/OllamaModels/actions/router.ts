import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readClientSettings } from '../../parameters/reliability';
import type { OllamaClient } from '../../core/client';
import { connectClient } from '../../n8n/client';
import { runPerItem } from '../../n8n/items';
import * as copy from './model/copy.operation';
import * as create from './model/create.operation';
import * as deleteModel from './model/delete.operation';
import * as ensurePresent from './model/ensurePresent.operation';
import * as get from './model/get.operation';
import * as list from './model/list.operation';
import * as pull from './model/pull.operation';
import * as push from './model/push.operation';
import * as listRunning from './running/listRunning.operation';
import * as load from './running/load.operation';
import * as unload from './running/unload.operation';
import * as version from './server/version.operation';

type Execute = (
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
) => ReturnType<typeof get.execute | typeof list.execute>;

export const operations: Record<
	string,
	Record<string, { description: unknown; execute: Execute }>
> = {
	model: { copy, create, delete: deleteModel, ensurePresent, get, list, pull, push },
	running: { list: listRunning, load, unload },
	server: { version },
};

/** Items one after another: management calls are cheap, and a pull should not race another. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await connectClient(this, readClientSettings(this));
	const output = await runPerItem(this, 1, async (i) => {
		const resource = this.getNodeParameter('resource', i) as string;
		const operation = this.getNodeParameter('operation', i) as string;
		return await operations[resource][operation].execute.call(this, client, i);
	});
	return [output];
}
