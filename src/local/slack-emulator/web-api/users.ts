import { SlackMethodError } from '../method-error.js';
import type { EmulatorState } from '../state.js';
import { textParam, type WebApiMethods } from './params.js';

export function usersMethods(state: EmulatorState): WebApiMethods {
  return {
    'users.info': (params) => {
      // Only people the workspace has (added, or who have typed something): as Slack, an unknown id
      // is user_not_found rather than a new user.
      const user = state.users.get(textParam(params, 'user') ?? '');
      if (!user) throw new SlackMethodError('user_not_found');
      return {
        user: {
          id: user.id,
          team_id: state.teamId,
          name: user.name,
          real_name: user.realName,
          tz: user.tz,
          tz_label: user.tz,
          tz_offset: tzOffsetSeconds(user.tz, state.now()),
          is_admin: user.isAdmin,
          is_bot: false,
          deleted: false,
          profile: { real_name: user.realName, display_name: user.name },
        },
      };
    },
  };
}

/** The zone's offset from UTC at `nowMs`, in seconds (0 for an unknown zone label). */
function tzOffsetSeconds(timeZone: string, nowMs: number): number {
  const label = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(nowMs))
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = label?.match(/GMT([+-])(\d{2}):(\d{2})/);
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}
