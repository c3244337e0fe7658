import type { INodeProperties } from 'n8n-workflow';

/** The hint n8n shows on a sub-node that is not connected (n8n's getConnectionHintNoticeField, which packages cannot import). */
export function connectionHint(text: string): INodeProperties {
	return {
		displayName: text,
		name: 'notice',
		type: 'notice',
		default: '',
		typeOptions: { containerClass: 'ndv-connection-hint-notice' },
	};
}
