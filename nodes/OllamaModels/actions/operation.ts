import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OllamaClient } from '../../core/client';
import type { ItemResult } from '../../n8n/items';

/** One operation of the node: its parameters and what it does for one item. */
export interface Operation {
	properties: INodeProperties[];
	execute(this: IExecuteFunctions, client: OllamaClient, itemIndex: number): Promise<ItemResult>;
}
