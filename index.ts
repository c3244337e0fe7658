export { OllamaServerApi } from './credentials/OllamaServerApi.credentials';
export { OllamaModels } from './nodes/OllamaModels/OllamaModels.node';
