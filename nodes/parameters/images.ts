import type { INodeProperties } from 'n8n-workflow';

/** Binary properties holding images, for vision models (Generate's option, Chat's message field). */
export const imagesProperty: INodeProperties = {
	displayName: 'Images',
	name: 'images',
	type: 'string',
	default: '',
	placeholder: 'e.g. data, photo',
	description: 'Names of binary properties holding images, separated by commas, for vision models',
};
