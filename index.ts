export { OllamaServerApi } from './credentials/OllamaServerApi.credentials';
export { OllamaChat } from './nodes/OllamaChat/OllamaChat.node';
export { OllamaChatModel } from './nodes/OllamaChatModel/OllamaChatModel.node';
export { OllamaEmbed } from './nodes/OllamaEmbed/OllamaEmbed.node';
export { OllamaEmbeddings } from './nodes/OllamaEmbeddings/OllamaEmbeddings.node';
export { OllamaGenerate } from './nodes/OllamaGenerate/OllamaGenerate.node';
export { OllamaModels } from './nodes/OllamaModels/OllamaModels.node';
