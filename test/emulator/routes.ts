// The native /api route table (O:server/routes.go GenerateRoutes).

import { headBlob, postBlob } from './handlers/blobs';
import { chat } from './handlers/chat';
import { create } from './handlers/create';
import { embed, embeddings } from './handlers/embed';
import { generate } from './handlers/generate';
import { copy, ps, remove, root, show, tags, version } from './handlers/models';
import { pull, push } from './handlers/transfer';
import type { Handler } from './state';

export type Route = Partial<Record<string, Handler>>;

export const routes: Record<string, Route> = {
	'/': { GET: root, HEAD: root },
	'/api/version': { GET: version, HEAD: version },
	'/api/tags': { GET: tags, HEAD: tags },
	'/api/ps': { GET: ps },
	'/api/generate': { POST: generate },
	'/api/chat': { POST: chat },
	'/api/embed': { POST: embed },
	'/api/embeddings': { POST: embeddings },
	'/api/show': { POST: show },
	'/api/create': { POST: create },
	'/api/pull': { POST: pull },
	'/api/push': { POST: push },
	'/api/copy': { POST: copy },
	'/api/delete': { DELETE: remove },
};

const blobRoute: Route = { HEAD: headBlob, POST: postBlob };

export function routeFor(path: string): Route | undefined {
	if (Object.prototype.hasOwnProperty.call(routes, path)) return routes[path];
	if (/^\/api\/blobs\/[^/]+$/.test(path)) return blobRoute;
	return undefined;
}
