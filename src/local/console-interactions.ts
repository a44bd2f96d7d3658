/**
 * Buttons, modals and Home in the local console: every button the bot shows is numbered, `/press 2`
 * presses it (a button with a confirm dialog shows the dialog and needs `/press 2 confirm`), an
 * opened modal is printed with its inputs and filled with `/submit k=3 features=A,B`, and `/home`
 * opens the Home tab.
 */
import { renderMessage } from './render-message.js';
import type { ButtonPlace, EmulatedView } from './slack-emulator/index.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string =>
  isObject(value) && typeof value['text'] === 'string' ? value['text'] : '';

/** What the console needs from Slack for interactions (the loopback emulator provides it). */
export interface ConsoleInteractionsSlack {
  pressButton(
    userId: string,
    place: ButtonPlace,
    actionId: string,
    options?: { confirmed?: boolean; blockId?: string },
  ): Promise<{ status: number }>;
  submitView(
    userId: string,
    viewId: string,
    values: Record<string, string | string[]>,
  ): Promise<{ errors?: Record<string, string> }>;
  openHome(userId: string): Promise<unknown>;
  openModal(userId: string): EmulatedView | undefined;
  home(userId: string): EmulatedView | undefined;
  waitFor<T>(
    check: () => T | undefined | null | false,
    options?: { timeoutMs?: number; what?: string },
  ): Promise<T>;
}

interface NumberedButton {
  number: number;
  place: ButtonPlace;
  actionId: string;
  blockId: string;
  text: string;
  /** The confirm dialog's text, when the button has one. */
  confirm?: string;
}

export interface ConsoleInteractions {
  /** Numbers the buttons in `blocks` (on a message or view) and returns the rendered text with the numbers. */
  render(message: { text: string; blocks?: unknown[] }, place: ButtonPlace): string;
  /** Handles `/press`, `/submit` and `/home`; returns false for any other line. */
  handle(line: string, print: (text: string) => void): Promise<boolean>;
  /** Prints the person's open modal if it is new or changed since last shown. */
  showModal(print: (text: string) => void): void;
}

export function createConsoleInteractions(
  slack: ConsoleInteractionsSlack,
  user: string,
): ConsoleInteractions {
  const buttons: NumberedButton[] = [];
  let shownModal = '';

  const render = (message: { text: string; blocks?: unknown[] }, place: ButtonPlace): string => {
    const blocks = Array.isArray(message.blocks) ? message.blocks : [];
    const numbered = blocks.map((block, index) => {
      if (!isObject(block) || block['type'] !== 'actions' || !Array.isArray(block['elements'])) return block;
      const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
      const labels = block['elements'].filter(isObject).map((element) => {
        if (element['type'] !== 'button') return textOf(element['text']);
        const number = buttons.length + 1;
        const confirm = isObject(element['confirm']) ? textOf(element['confirm']['text']) : undefined;
        buttons.push({
          number,
          place,
          actionId: String(element['action_id']),
          blockId,
          text: textOf(element['text']),
          ...(confirm !== undefined ? { confirm } : {}),
        });
        return `${number}: ${textOf(element['text'])}`;
      });
      return {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${labels.map((l) => `[${l}]`).join(' ')}  (/press N)` }],
      };
    });
    return renderMessage({ text: message.text, blocks: numbered });
  };

  const describeInput = (block: Json): string => {
    const element = isObject(block['element']) ? block['element'] : {};
    const id = String(element['action_id'] ?? block['block_id']);
    const label = textOf(block['label']);
    const options = Array.isArray(element['options'])
      ? element['options'].filter(isObject).map((o) => String(o['value']))
      : [];
    const kind = String(element['type']);
    const choices =
      kind === 'conversations_select'
        ? 'a channel id, e.g. C0LOCAL01'
        : options.length > 0
          ? `${kind.startsWith('multi') ? 'any of' : 'one of'}: ${options.slice(0, 12).join(', ')}${options.length > 12 ? ', …' : ''}`
          : 'text';
    return `  ${id}${block['optional'] === true ? ' (optional)' : ''}: ${label} — ${choices}`;
  };

  const showModal = (print: (text: string) => void) => {
    const modal = slack.openModal(user);
    const key = modal ? `${modal.id}:${modal.hash}:${JSON.stringify(modal.errors ?? {})}` : '';
    if (key === shownModal) return;
    shownModal = key;
    if (!modal) return;
    const blocks = Array.isArray(modal.view['blocks']) ? modal.view['blocks'].filter(isObject) : [];
    const inputs = blocks.filter((b) => b['type'] === 'input');
    const other = blocks.filter((b) => b['type'] !== 'input');
    const lines = [`segbot opened a form: ${textOf(modal.view['title'])}`];
    const intro = render({ text: '', blocks: other }, { viewId: modal.id });
    if (intro.trim() !== '') lines.push(...intro.split('\n').map((l) => `  ${l}`));
    lines.push(...inputs.map(describeInput));
    for (const [block, error] of Object.entries(modal.errors ?? {})) lines.push(`  ⚠️ ${block}: ${error}`);
    lines.push(
      `Fill it in with /submit ${inputs.map((b) => `${String((b['element'] as Json)['action_id'])}=…`).join(' ')}`,
    );
    print(lines.join('\n'));
  };

  const press = async (args: string[], print: (text: string) => void) => {
    const number = Number(args[0]);
    const found = buttons.find((b) => b.number === number);
    if (!found) {
      print(
        buttons.length === 0
          ? 'There is no button to press yet.'
          : `There is no button ${args[0] ?? ''}; buttons are numbered 1 to ${buttons.length}.`,
      );
      return;
    }
    const confirmed = args[1] === 'confirm';
    if (found.confirm !== undefined && !confirmed) {
      print(`“${found.text}” asks first: ${found.confirm}\nType /press ${found.number} confirm to go ahead.`);
      return;
    }
    print(`you pressed “${found.text}”`);
    try {
      await slack.pressButton(user, found.place, found.actionId, { confirmed, blockId: found.blockId });
    } catch (error) {
      print(`(that button is no longer there: ${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    // A press may open a form; give the app a moment to open it.
    await slack.waitFor(() => slack.openModal(user), { timeoutMs: 1500 }).catch(() => undefined);
    showModal(print);
  };

  const submit = async (args: string[], print: (text: string) => void) => {
    const modal = slack.openModal(user);
    if (!modal) {
      print('No form is open. Press a button such as “Segment with options…” first.');
      return;
    }
    const values: Record<string, string | string[]> = {};
    const multi = new Set(
      (Array.isArray(modal.view['blocks']) ? modal.view['blocks'] : [])
        .filter(isObject)
        .map((b) => (isObject(b['element']) ? b['element'] : {}))
        .filter((e) => String(e['type']).startsWith('multi'))
        .map((e) => String(e['action_id'])),
    );
    for (const arg of args) {
      const at = arg.indexOf('=');
      if (at <= 0) continue;
      const key = arg.slice(0, at);
      const value = arg.slice(at + 1);
      values[key] = multi.has(key) ? value.split(',').filter((v) => v !== '') : value;
    }
    try {
      const result = await slack.submitView(user, modal.id, values);
      if (!result.errors) print('you submitted the form');
    } catch (error) {
      print(`(the form was not sent: ${error instanceof Error ? error.message : String(error)})`);
    }
    showModal(print);
  };

  return {
    render,
    showModal,
    async handle(line, print) {
      const [command, ...args] = line.split(/\s+/);
      if (command === '/press') {
        await press(args, print);
        return true;
      }
      if (command === '/submit') {
        await submit(args, print);
        return true;
      }
      if (command === '/home') {
        const before = slack.home(user)?.hash;
        await slack.openHome(user);
        const home = await slack
          .waitFor(
            () => {
              const current = slack.home(user);
              return current && current.hash !== before ? current : undefined;
            },
            { timeoutMs: 5000 },
          )
          .catch(() => undefined);
        if (!home) {
          print('(the Home tab did not open)');
          return true;
        }
        print(
          `segbot Home:\n${render({ text: '', blocks: home.view['blocks'] as unknown[] }, { viewId: home.id })
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}`,
        );
        return true;
      }
      return false;
    },
  };
}
