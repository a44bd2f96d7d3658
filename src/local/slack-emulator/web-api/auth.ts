import type { EmulatorState } from '../state.js';
import type { WebApiMethods } from './params.js';

export function authMethods(state: EmulatorState): WebApiMethods {
  return {
    'api.test': (params) => ({ args: params }),
    'auth.test': () => ({
      url: `${state.baseUrl}/`,
      team: 'segbot local',
      user: 'segbot',
      team_id: state.teamId,
      user_id: state.botUserId,
      bot_id: state.botId,
      is_enterprise_install: false,
    }),
  };
}
