import type { EmulatorState } from '../state.js';
import { authMethods } from './auth.js';
import { chatMethods } from './chat.js';
import { conversationsMethods } from './conversations.js';
import { filesMethods } from './files.js';
import type { WebApiMethods } from './params.js';
import { usersMethods } from './users.js';
import { viewsMethods } from './views.js';

/** The Web API methods segbot calls, by name. */
export function createWebApi(state: EmulatorState): WebApiMethods {
  return {
    ...authMethods(state),
    ...chatMethods(state),
    ...filesMethods(state),
    ...conversationsMethods(state),
    ...usersMethods(state),
    ...viewsMethods(state),
  };
}
