import type { IExecuteFunctions } from 'n8n-workflow';

/** What parameter readers need of a node: its parameters and itself. A node's execute and an AI sub-node's supplyData both have it. */
export type ParameterContext = Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode'>;
