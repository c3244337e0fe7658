export { OllamaServerApi } from './credentials/OllamaServerApi.credentials';
