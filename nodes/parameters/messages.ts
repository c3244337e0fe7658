import type { INodeProperties } from 'n8n-workflow';

const ROLE_NAMES = { assistant: 'Assistant', system: 'System', tool: 'Tool', user: 'User' };

/** The Role and Content fields of one message in a messages fixedCollection. */
export function messageFields(roles: Array<keyof typeof ROLE_NAMES>): INodeProperties[] {
	return [
		{
			displayName: 'Role',
			name: 'role',
			type: 'options',
			default: 'user',
			options: roles.map((role) => ({ name: ROLE_NAMES[role], value: role })),
		},
		{
			displayName: 'Content',
			name: 'content',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
		},
	];
}
