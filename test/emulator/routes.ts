// The route table (O:server/routes.go GenerateRoutes): the native /api routes and the
// OpenAI-compatible /v1 routes, which put Ollama's OpenAI writers in front of native handlers.

import { headBlob, postBlob } from './handlers/blobs';
import { chat } from './handlers/chat';
import { create } from './handlers/create';
import { embed, embeddings } from './handlers/embed';
import { generate } from './handlers/generate';
import { copy, ps, remove, root, show, tags, version } from './handlers/models';
import { openaiChat } from './handlers/openaiChat';
import { openaiCompletions } from './handlers/openaiCompletions';
import { openaiEmbeddings } from './handlers/openaiEmbeddings';
import { modelParam, openaiListModels, openaiRetrieveModel } from './handlers/openaiModels';
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
	'/v1/chat/completions': { POST: openaiChat },
	'/v1/completions': { POST: openaiCompletions },
	'/v1/embeddings': { POST: openaiEmbeddings },
	'/v1/models': { GET: openaiListModels },
};

const blobRoute: Route = { HEAD: headBlob, POST: postBlob };
const modelRoute: Route = { GET: openaiRetrieveModel };

/** The routes whose replies go through an OpenAI writer. */
export const isOpenAIPath = (path: string) => path.startsWith('/v1/');

export function routeFor(path: string): Route | undefined {
	if (Object.prototype.hasOwnProperty.call(routes, path)) return routes[path];
	if (/^\/api\/blobs\/[^/]+$/.test(path)) return blobRoute;
	if (/^\/v1\/models\/[^/]+$/.test(path) && !modelParam(path).includes('/')) return modelRoute;
	return undefined;
}
