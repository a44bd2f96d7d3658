/**
 * Block Kit limits as Slack enforces them on chat.postMessage / chat.update, so the loopback emulator
 * refuses what real Slack would refuse (`invalid_blocks`) instead of letting an oversized message
 * pass in tests and fail in a workspace.
 */

export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  imageAltText: 2000,
  imageUrl: 3000,
  blockId: 255,
  messageText: 40000,
  blocksPerView: 100,
  viewTitle: 24,
  viewButtonText: 24,
  callbackId: 255,
  privateMetadata: 3000,
  actionId: 255,
  inputLabel: 2000,
  selectOptions: 100,
  optionText: 75,
} as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value['text'] === 'string' ? value['text'] : undefined;
}

/**
 * Lists every Block Kit violation in `blocks`, each in Slack's own style
 * ("must be less than 3001 characters [json-pointer:/blocks/3/text/text]"); empty when valid.
 */
export function findBlockKitViolations(
  blocks: unknown,
  maxBlocks: number = BLOCK_KIT_LIMITS.blocksPerMessage,
): string[] {
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  const tooLong = (limit: number, pointer: string) =>
    errors.push(`must be less than ${limit + 1} characters [json-pointer:${pointer}]`);
  const tooMany = (limit: number, pointer: string) =>
    errors.push(`must provide no more than ${limit} items [json-pointer:${pointer}]`);

  if (blocks.length > maxBlocks) tooMany(maxBlocks, '/blocks');
  blocks.forEach((block, index) => {
    const at = `/blocks/${index}`;
    if (!isObject(block) || typeof block['type'] !== 'string') {
      errors.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    const blockId = block['block_id'];
    if (typeof blockId === 'string' && blockId.length > BLOCK_KIT_LIMITS.blockId) {
      tooLong(BLOCK_KIT_LIMITS.blockId, `${at}/block_id`);
    }
    switch (block['type']) {
      case 'section': {
        const text = textOf(block['text']);
        const fields = block['fields'];
        if (text === undefined && !Array.isArray(fields)) {
          errors.push(`must provide either text or fields [json-pointer:${at}]`);
        }
        if (text !== undefined && text.length > BLOCK_KIT_LIMITS.sectionText) {
          tooLong(BLOCK_KIT_LIMITS.sectionText, `${at}/text/text`);
        }
        if (text !== undefined && text.length === 0) {
          errors.push(`must be more than 0 characters [json-pointer:${at}/text/text]`);
        }
        if (Array.isArray(fields)) {
          if (fields.length > BLOCK_KIT_LIMITS.sectionFields)
            tooMany(BLOCK_KIT_LIMITS.sectionFields, `${at}/fields`);
          fields.forEach((field, f) => {
            const fieldText = textOf(field) ?? '';
            if (fieldText.length > BLOCK_KIT_LIMITS.fieldText) {
              tooLong(BLOCK_KIT_LIMITS.fieldText, `${at}/fields/${f}/text`);
            }
          });
        }
        break;
      }
      case 'header': {
        const text = block['text'];
        if (!isObject(text) || text['type'] !== 'plain_text') {
          errors.push(`must be a plain_text object [json-pointer:${at}/text]`);
        } else if ((textOf(text) ?? '').length > BLOCK_KIT_LIMITS.headerText) {
          tooLong(BLOCK_KIT_LIMITS.headerText, `${at}/text/text`);
        }
        break;
      }
      case 'context': {
        const elements = block['elements'];
        if (!Array.isArray(elements) || elements.length === 0) {
          errors.push(`must provide at least 1 item [json-pointer:${at}/elements]`);
        } else if (elements.length > BLOCK_KIT_LIMITS.contextElements) {
          tooMany(BLOCK_KIT_LIMITS.contextElements, `${at}/elements`);
        }
        break;
      }
      case 'actions': {
        const elements = block['elements'];
        if (Array.isArray(elements) && elements.length > BLOCK_KIT_LIMITS.actionsElements) {
          tooMany(BLOCK_KIT_LIMITS.actionsElements, `${at}/elements`);
        }
        break;
      }
      case 'image': {
        const alt = block['alt_text'];
        if (typeof alt !== 'string' || alt.length === 0) {
          errors.push(`missing required field: alt_text [json-pointer:${at}]`);
        } else if (alt.length > BLOCK_KIT_LIMITS.imageAltText) {
          tooLong(BLOCK_KIT_LIMITS.imageAltText, `${at}/alt_text`);
        }
        const url = block['image_url'];
        if (url === undefined && block['slack_file'] === undefined) {
          errors.push(`must provide image_url or slack_file [json-pointer:${at}]`);
        } else if (typeof url === 'string' && url.length > BLOCK_KIT_LIMITS.imageUrl) {
          tooLong(BLOCK_KIT_LIMITS.imageUrl, `${at}/image_url`);
        }
        break;
      }
      case 'input': {
        const label = block['label'];
        if (!isObject(label) || label['type'] !== 'plain_text') {
          errors.push(`must be a plain_text object [json-pointer:${at}/label]`);
        } else if ((textOf(label) ?? '').length > BLOCK_KIT_LIMITS.inputLabel) {
          tooLong(BLOCK_KIT_LIMITS.inputLabel, `${at}/label/text`);
        }
        if (!isObject(block['element'])) errors.push(`missing required field: element [json-pointer:${at}]`);
        break;
      }
      default:
        break;
    }
    errors.push(...elementViolations(block, at));
  });
  return errors;
}

/** The interactive elements of a block (an actions block's, a section's accessory, an input's element). */
function elementsOf(block: Json): { element: Json; pointer: string }[] {
  const found: { element: Json; pointer: string }[] = [];
  if (Array.isArray(block['elements']) && block['type'] === 'actions') {
    block['elements'].forEach((element, i) => {
      if (isObject(element)) found.push({ element, pointer: `/elements/${i}` });
    });
  }
  if (isObject(block['accessory'])) found.push({ element: block['accessory'], pointer: '/accessory' });
  if (isObject(block['element'])) found.push({ element: block['element'], pointer: '/element' });
  return found;
}

/** Action ids unique within a block and not too long; select options within Slack's limits. */
function elementViolations(block: Json, at: string): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const { element, pointer } of elementsOf(block)) {
    const actionId = element['action_id'];
    if (typeof actionId === 'string') {
      if (actionId.length > BLOCK_KIT_LIMITS.actionId) {
        errors.push(
          `must be less than ${BLOCK_KIT_LIMITS.actionId + 1} characters [json-pointer:${at}${pointer}/action_id]`,
        );
      }
      if (seen.has(actionId)) errors.push(`duplicate action_id [json-pointer:${at}${pointer}/action_id]`);
      seen.add(actionId);
    }
    const options = element['options'];
    if (Array.isArray(options)) {
      if (options.length > BLOCK_KIT_LIMITS.selectOptions) {
        errors.push(
          `must provide no more than ${BLOCK_KIT_LIMITS.selectOptions} items [json-pointer:${at}${pointer}/options]`,
        );
      }
      options.forEach((option, o) => {
        if (
          (textOf(isObject(option) ? option['text'] : undefined) ?? '').length > BLOCK_KIT_LIMITS.optionText
        ) {
          errors.push(
            `must be less than ${BLOCK_KIT_LIMITS.optionText + 1} characters [json-pointer:${at}${pointer}/options/${o}/text/text]`,
          );
        }
      });
    }
  }
  return errors;
}

/**
 * Lists every violation in a view (`views.open`, `views.update`, `views.push`, `views.publish`):
 * Block Kit limits with 100 blocks, unique block ids, and the modal's title, buttons, callback id
 * and private metadata within Slack's lengths. Empty when valid.
 */
export function findViewViolations(view: unknown): string[] {
  if (!isObject(view)) return ['must be an object [json-pointer:/view]'];
  const errors = findBlockKitViolations(view['blocks'], BLOCK_KIT_LIMITS.blocksPerView).map((error) =>
    error.replace('[json-pointer:/blocks', '[json-pointer:/view/blocks'),
  );
  const type = view['type'];
  if (type !== 'modal' && type !== 'home') errors.push('must be modal or home [json-pointer:/view/type]');
  const plain = (name: string, limit: number, required: boolean) => {
    const value = view[name];
    if (value === undefined) {
      if (required) errors.push(`missing required field: ${name} [json-pointer:/view]`);
      return;
    }
    const text = textOf(value);
    if (!isObject(value) || value['type'] !== 'plain_text' || text === undefined) {
      errors.push(`must be a plain_text object [json-pointer:/view/${name}]`);
    } else if (text.length > limit) {
      errors.push(`must be less than ${limit + 1} characters [json-pointer:/view/${name}/text]`);
    }
  };
  if (type === 'modal') {
    plain('title', BLOCK_KIT_LIMITS.viewTitle, true);
    plain('submit', BLOCK_KIT_LIMITS.viewButtonText, false);
    plain('close', BLOCK_KIT_LIMITS.viewButtonText, false);
    const hasInput =
      Array.isArray(view['blocks']) && view['blocks'].some((b) => isObject(b) && b['type'] === 'input');
    if (hasInput && view['submit'] === undefined)
      errors.push('missing required field: submit [json-pointer:/view]');
  }
  const limited = (name: string, limit: number) => {
    const value = view[name];
    if (value !== undefined && (typeof value !== 'string' || value.length > limit)) {
      errors.push(`must be a string of at most ${limit} characters [json-pointer:/view/${name}]`);
    }
  };
  limited('callback_id', BLOCK_KIT_LIMITS.callbackId);
  limited('private_metadata', BLOCK_KIT_LIMITS.privateMetadata);
  limited('external_id', BLOCK_KIT_LIMITS.blockId);
  if (Array.isArray(view['blocks'])) {
    const ids = new Set<string>();
    view['blocks'].forEach((block, i) => {
      const id = isObject(block) ? block['block_id'] : undefined;
      if (typeof id !== 'string') return;
      if (ids.has(id)) errors.push(`duplicate block_id [json-pointer:/view/blocks/${i}/block_id]`);
      ids.add(id);
    });
  }
  return errors;
}
