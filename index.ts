export { OllamaServerApi } from './credentials/OllamaServerApi.credentials';
export { OllamaChat } from './nodes/OllamaChat/OllamaChat.node';
export { OllamaEmbed } from './nodes/OllamaEmbed/OllamaEmbed.node';
export { OllamaGenerate } from './nodes/OllamaGenerate/OllamaGenerate.node';
export { OllamaModels } from './nodes/OllamaModels/OllamaModels.node';
