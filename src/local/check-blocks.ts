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
export function findBlockKitViolations(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  const tooLong = (limit: number, pointer: string) =>
    errors.push(`must be less than ${limit + 1} characters [json-pointer:${pointer}]`);
  const tooMany = (limit: number, pointer: string) =>
    errors.push(`must provide no more than ${limit} items [json-pointer:${pointer}]`);

  if (blocks.length > BLOCK_KIT_LIMITS.blocksPerMessage)
    tooMany(BLOCK_KIT_LIMITS.blocksPerMessage, '/blocks');
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
      default:
        break;
    }
  });
  return errors;
}
