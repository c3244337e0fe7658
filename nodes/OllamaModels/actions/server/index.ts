import type { INodeProperties } from 'n8n-workflow';

import * as version from './version.operation';

/** What each operation of the Server resource does for one item, by its value. */
export const operations = { version };

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['server'] } },
	default: 'version',
	options: [{ name: 'Get Version', value: 'version', action: 'Get the server version' }],
};

export const description: INodeProperties[] = [operation, ...version.description];
