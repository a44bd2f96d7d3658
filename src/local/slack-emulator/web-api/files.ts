import { createFile } from '../file-hosting.js';
import { SlackMethodError } from '../method-error.js';
import { serializeFile } from '../serialize.js';
import type { EmulatorState } from '../state.js';
import type { EmulatedFile } from '../types.js';
import { jsonParam, textParam, type WebApiMethods } from './params.js';

export function filesMethods(state: EmulatorState): WebApiMethods {
  const { botUserId, pendingUploads } = state;
  return {
    'files.getUploadURLExternal': (params) => {
      const name = textParam(params, 'filename');
      const length = Number(params['length']);
      if (!name || !Number.isInteger(length) || length <= 0) throw new SlackMethodError('invalid_arguments');
      const id = state.nextId('F');
      pendingUploads.set(id, { name });
      return { upload_url: `${state.baseUrl}/upload/v1/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (params) => {
      const specs = jsonParam(params, 'files');
      if (!Array.isArray(specs) || specs.length === 0) throw new SlackMethodError('invalid_arguments');
      const channelId = textParam(params, 'channel_id') ?? textParam(params, 'channels')?.split(',')[0];
      const channel = channelId === undefined ? undefined : state.memberChannel(channelId);
      const completed: EmulatedFile[] = [];
      for (const spec of specs as { id?: string; title?: string }[]) {
        const pending = spec.id === undefined ? undefined : pendingUploads.get(spec.id);
        if (!pending?.bytes || spec.id === undefined) throw new SlackMethodError('file_not_found');
        pendingUploads.delete(spec.id);
        // The file keeps the id the client was promised in getUploadURLExternal.
        completed.push(
          createFile(state, pending.name, botUserId, pending.bytes, { id: spec.id, title: spec.title }),
        );
      }
      if (channel) {
        for (const file of completed) file.channels.push(channel.id);
        const blocks = jsonParam(params, 'blocks');
        state.postAsBot({
          channel: channel.id,
          text: textParam(params, 'initial_comment') ?? '',
          ...(Array.isArray(blocks) ? { blocks } : {}),
          files: completed,
          subtype: 'file_share',
          threadTs: textParam(params, 'thread_ts'),
        });
      }
      return { files: completed.map((file) => ({ id: file.id, title: file.title })) };
    },
    'files.info': (params) => {
      const file = state.fileStore.get(textParam(params, 'file') ?? '');
      if (!file) throw new SlackMethodError('file_not_found');
      return { file: serializeFile(state, file), comments: [], response_metadata: { next_cursor: '' } };
    },
  };
}
