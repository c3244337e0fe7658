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

/** Images fetched from URLs, beside `imagesProperty`. */
export const imageUrlsProperty: INodeProperties = {
	displayName: 'Image URLs',
	name: 'imageUrls',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/photo.jpg',
	description:
		'URLs of images for vision models, separated by commas or new lines (or an expression giving a list). n8n fetches them (its SSRF protection applies), up to 20 MB each.',
};

/** Images given as text from the item, beside `imagesProperty`. */
export const imageDataProperty: INodeProperties = {
	displayName: 'Image Data',
	name: 'imageData',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.photo }}',
	description:
		'Images for vision models as base64 or data URLs (data:image/png;base64,…), e.g. from a field of the item; several separated by commas, or an expression giving a list',
};

/** The three ways to give images, in the order their images are sent. */
export const imageProperties: INodeProperties[] = [
	imagesProperty,
	imageUrlsProperty,
	imageDataProperty,
];
