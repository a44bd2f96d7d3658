/**
 * segbot's buttons, modals, shortcuts and Home tab. Each one stands for a typed command and runs it
 * through the same code (so access is checked exactly as for the command): a press is acknowledged
 * at once, checked against double clicks and against acting on old data, then handed to the
 * subcommand with the words a person would have typed.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { BadInputError } from '../../src/errors.js';
import { ACTIONS, decodeTarget, SHORTCUTS, VIEWS } from '../../src/slack/blocks/buttons.js';
import { reportError, safeErrorFields } from '../../src/slack/report-error.js';
import { isCsvFile } from '../../src/slack/shared-files.js';
import { startCampaign } from '../campaign-new.js';
import { noDatasetError } from '../context.js';
import type { CommandDeps, DatasetRecord, RunRecord } from '../deps.js';
import { runDescribe } from '../describe.js';
import { runExport } from '../export.js';
import { forgetNow } from '../forget.js';
import { exportScores, runPredict } from '../predict.js';
import { runRuns } from '../runs.js';
import { runSegment } from '../segment.js';
import { importSharedCsv } from '../upload.js';
import { campaignModal, readCampaignSubmission } from './campaign-modal.js';
import { publishHome } from './home.js';
import { firstPress, type Interaction, interactionContext, isChannelMember } from './interaction.js';
import { openPredictModal, predictModal, readPredictSubmission } from './predict-modal.js';
import { openSegmentModal, readSegmentSubmission } from './segment-modal.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Who pressed, where, and on what; the channel is the message's, or (Home) the button's own. */
interface Press {
  interaction: Interaction;
  target: ReturnType<typeof decodeTarget>;
  triggerId: string;
  /** The message or view the button was on (part of the double-click key). */
  placeKey: string;
  actionId: string;
}

/** Reads a button press; null when it names no channel the presser may act in (told privately). */
async function readPress(args: ButtonArgs, deps: CommandDeps): Promise<Press | null> {
  const { body, action, client } = args;
  const target = decodeTarget(action.value);
  const userId = body.user.id;
  const messageChannel = body.channel?.id;
  let channelId: string | undefined = messageChannel;
  if (!channelId) {
    // Home: the button names its channel; acting there needs the presser to be in it, now.
    channelId = target.c;
    if (!channelId || !(await isChannelMember(client, channelId, userId))) {
      deps.logger.warn({ action: action.action_id }, 'button for a channel the user is not in');
      return null;
    }
  }
  const placeKey = body.container?.message_ts ?? body.view?.id ?? 'none';
  const interaction: Interaction = {
    channelId,
    userId,
    client,
    deps,
    ...(messageChannel ? { respond: args.respond as RespondFn } : {}),
  };
  return { interaction, target, triggerId: body.trigger_id, placeKey, actionId: action.action_id };
}

/** Registers a button: ack first, then the handler; errors reach the presser privately. */
function onButton(
  app: App,
  deps: CommandDeps,
  actionId: string,
  handle: (press: Press) => Promise<void>,
  options: { once?: boolean } = {},
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
    await args.ack();
    const press = await readPress(args, deps);
    if (!press) return;
    const ctx = interactionContext(press.interaction);
    const key = `press:${actionId}:${press.placeKey}:${press.interaction.userId}:${args.action.value ?? ''}`;
    let claimed = false;
    try {
      if (options.once !== false) {
        if (!(await firstPress(deps, key))) {
          await ctx.ephemeral(':hourglass: Already on it: your first press of this button is being handled.');
          return;
        }
        claimed = true;
      }
      await handle(press);
    } catch (error) {
      // A refused or failed press did nothing, so pressing again (once it is fixed) is not a repeat.
      if (claimed) await deps.requests.release(key).catch(() => {});
      await reportError(error, ctx.errorTarget, deps.logger, `button ${actionId}`);
    }
  });
}

/** The dataset a button acts on, if it is still the channel's latest; otherwise says so and returns null. */
async function latestDatasetFor(press: Press): Promise<number | null> {
  const { deps } = press.interaction;
  const ctx = interactionContext(press.interaction);
  const latest = await deps.datasets.latestDataset(press.interaction.channelId);
  if (!latest) throw noDatasetError();
  if (press.target.d !== undefined && press.target.d !== latest.id) {
    const old = await deps.datasets.getDataset(press.interaction.channelId, press.target.d);
    await ctx.ephemeral(
      `This button is for ${old ? `v${old.version}` : 'an upload that is no longer stored'}; the channel’s latest upload is v${latest.version}. Use the buttons under its report, or type \`/segbot segment\`.`,
    );
    return null;
  }
  return latest.id;
}

/** The run a button acts on, if it is still the channel's latest; otherwise says so and returns null. */
async function latestRunFor(press: Press): Promise<number | null> {
  const { deps } = press.interaction;
  const ctx = interactionContext(press.interaction);
  const latest = await deps.runs.latestRun(press.interaction.channelId, { status: 'done' });
  if (!latest || press.target.r !== latest.id) {
    await ctx.ephemeral(
      `This button belongs to run #${press.target.r ?? '?'}, which is no longer the latest${latest ? ` (run #${latest.id} is)` : ''}. \`/segbot runs ${press.target.r ?? ''}\` shows that run again; the buttons on the latest run act on it.`,
    );
    return null;
  }
  return latest.id;
}

/** The latest run a button acts on and its dataset; null (said) when the button's run is old. */
async function latestRunWithDataset(
  press: Press,
): Promise<{ run: RunRecord; dataset: DatasetRecord } | null> {
  if ((await latestRunFor(press)) === null) return null;
  const { deps, channelId } = press.interaction;
  const run = await deps.runs.latestRun(channelId, { status: 'done' });
  const dataset = run ? await deps.datasets.getDataset(channelId, run.datasetId) : null;
  if (!run || !dataset) throw noDatasetError();
  return { run, dataset };
}

export function registerInteractions(app: App, deps: CommandDeps): void {
  onButton(app, deps, ACTIONS.segmentNow, async (press) => {
    if ((await latestDatasetFor(press)) === null) return;
    await runSegment(interactionContext(press.interaction));
  });

  onButton(
    app,
    deps,
    ACTIONS.segmentOptions,
    async (press) => {
      if ((await latestDatasetFor(press)) === null) return;
      const dataset = await deps.datasets.latestDataset(press.interaction.channelId);
      if (!dataset) throw noDatasetError();
      await openSegmentModal(press.interaction.client, press.triggerId, {
        channelId: press.interaction.channelId,
        dataset,
      });
    },
    // Opening a modal twice is harmless, and a person may close it and want it again.
    { once: false },
  );

  onButton(app, deps, ACTIONS.describeSegment, async (press) => {
    if ((await latestRunFor(press)) === null) return;
    await runDescribe(interactionContext(press.interaction, [String(press.target.n ?? '')]));
  });

  onButton(
    app,
    deps,
    ACTIONS.predictSegment,
    async (press) => {
      const latest = await latestRunWithDataset(press);
      if (!latest) return;
      const { run, dataset } = latest;
      const { channelId } = press.interaction;
      const view = predictModal({ channelId, dataset, run, segmentNumber: press.target.n ?? 1 });
      if (!view) {
        throw new BadInputError(`${dataset.fileName} has no product columns to predict.`, {
          hint: 'Products are 0/1 or yes/no columns (such as has_credit_card); `/segbot products` lists them.',
        });
      }
      await openPredictModal(press.interaction.client, press.triggerId, view);
    },
    { once: false },
  );

  // `/segbot export <n>`: runExport refuses a channel that may not receive customer ids, privately.
  onButton(app, deps, ACTIONS.exportSegment, async (press) => {
    if ((await latestRunFor(press)) === null) return;
    await runExport(interactionContext(press.interaction, [String(press.target.n ?? '')]));
  });

  onButton(
    app,
    deps,
    ACTIONS.campaignSegment,
    async (press) => {
      const latest = await latestRunWithDataset(press);
      if (!latest) return;
      const { run, dataset } = latest;
      const { channelId } = press.interaction;
      await press.interaction.client.views.open({
        trigger_id: press.triggerId,
        view: campaignModal({
          channelId,
          dataset,
          run: run.datasetId === (await deps.datasets.latestDataset(channelId))?.id ? run : null,
          segments: press.target.n ? [press.target.n] : [],
        }),
      });
    },
    { once: false },
  );

  onButton(app, deps, ACTIONS.exportScores, async (press) => {
    if ((await latestDatasetFor(press)) === null) return;
    await exportScores(interactionContext(press.interaction), {
      product: press.target.p ?? '',
      segment: press.target.n ?? null,
    });
  });

  onButton(
    app,
    deps,
    ACTIONS.campaignTopDecile,
    async (press) => {
      const datasetId = await latestDatasetFor(press);
      if (datasetId === null) return;
      const { channelId } = press.interaction;
      const dataset = await deps.datasets.getDataset(channelId, datasetId);
      if (!dataset) throw noDatasetError();
      const run = await deps.runs.latestRun(channelId, { status: 'done' });
      await press.interaction.client.views.open({
        trigger_id: press.triggerId,
        view: campaignModal({
          channelId,
          dataset,
          run: run?.datasetId === dataset.id ? run : null,
          segments: press.target.n ? [press.target.n] : [],
          ...(press.target.p ? { product: press.target.p } : {}),
          topDecile: true,
        }),
      });
    },
    { once: false },
  );

  // Whatever run is the channel's latest when pressed, so an old digest's button is never stale.
  onButton(app, deps, ACTIONS.openLatestRun, async (press) => {
    const latest = await deps.runs.latestRun(press.interaction.channelId, { status: 'done' });
    if (!latest) {
      await interactionContext(press.interaction).ephemeral(
        'This channel has no segmentation run yet, so there is nothing to open. Drop a customer CSV here and type `/segbot segment`.',
      );
      return;
    }
    await runRuns(interactionContext(press.interaction, [String(latest.id)]));
  });

  // `@segbot movers` in the thread: customer-level, so only where customer ids may go.
  onButton(app, deps, ACTIONS.showMovers, async (press) => {
    if ((await latestRunFor(press)) === null) return;
    const threadTs = press.placeKey;
    await deps.guard.requireCustomerLevelChannel(press.interaction.channelId, 'the movers list');
    await deps.digests.answerMention({
      channelId: press.interaction.channelId,
      threadTs,
      ts: threadTs,
      text: 'movers',
    });
  });

  // An admin button: forgetNow checks the presser is an admin, exactly as `/segbot forget` does.
  onButton(app, deps, ACTIONS.forgetConfirmed, async (press) => {
    await forgetNow(interactionContext(press.interaction));
  });

  onButton(app, deps, ACTIONS.openRun, async (press) => {
    await runRuns(interactionContext(press.interaction, [String(press.target.r ?? '')]));
  });

  app.view(VIEWS.segment, async ({ ack, body, view, client }) => {
    const submission = await readSegmentSubmission({
      deps,
      client,
      userId: body.user.id,
      privateMetadata: view.private_metadata,
      values: view.state.values,
    });
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    await ack();
    const interaction = { channelId: submission.channelId, userId: body.user.id, client, deps };
    const ctx = interactionContext(interaction, submission.args);
    try {
      await runSegment(ctx);
    } catch (error) {
      await reportError(error, ctx.errorTarget, deps.logger, 'segment modal');
    }
  });

  app.view(VIEWS.predict, async ({ ack, body, view, client }) => {
    const submission = readPredictSubmission(view.private_metadata, view.state.values);
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    const latest = await deps.runs.latestRun(submission.channelId, { status: 'done' });
    if (latest?.id !== submission.runId) {
      await ack({
        response_action: 'errors',
        errors: {
          product: `Run #${submission.runId} is no longer the latest; predict from the latest run’s buttons.`,
        },
      });
      return;
    }
    await ack();
    const ctx = interactionContext(
      { channelId: submission.channelId, userId: body.user.id, client, deps },
      submission.args,
    );
    try {
      await runPredict(ctx);
    } catch (error) {
      await reportError(error, ctx.errorTarget, deps.logger, 'predict modal');
    }
  });

  app.view(VIEWS.campaign, async ({ ack, body, view, client }) => {
    const submission = await readCampaignSubmission(deps, view.private_metadata, view.state.values);
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    await ack();
    const ctx = interactionContext({ channelId: submission.channelId, userId: body.user.id, client, deps });
    try {
      await startCampaign(ctx, submission.spec);
    } catch (error) {
      await reportError(error, ctx.errorTarget, deps.logger, 'campaign modal');
    }
  });

  app.shortcut(SHORTCUTS.open, async ({ ack, shortcut, client }) => {
    await ack();
    try {
      await openSegmentModal(client, shortcut.trigger_id, null);
    } catch (error) {
      deps.logger.error(safeErrorFields(error, 'shortcut open'), 'segment modal did not open');
    }
  });

  app.shortcut(SHORTCUTS.segmentFile, async ({ ack, shortcut, client, respond }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const interaction = { channelId: shortcut.channel.id, userId: shortcut.user.id, client, deps, respond };
    const ctx = interactionContext(interaction);
    try {
      await segmentSharedFile(ctx, shortcut.message as SharedMessage, shortcut.message_ts);
    } catch (error) {
      await reportError(error, ctx.errorTarget, deps.logger, 'shortcut segment file');
    }
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(deps, client as WebClient, event.user);
    } catch (error) {
      deps.logger.error(safeErrorFields(error, 'app home'), 'home tab not published');
    }
  });
}

type SharedMessage = { files?: Parameters<typeof isCsvFile>[0][]; user?: string; thread_ts?: string };

/** "Segment this CSV": imports the message's CSV (an admin's right, as uploading) and segments it. */
async function segmentSharedFile(
  ctx: ReturnType<typeof interactionContext>,
  message: SharedMessage,
  messageTs: string,
): Promise<void> {
  const file = (message.files ?? []).find(isCsvFile);
  if (!file) {
    throw new BadInputError('That message has no CSV file to segment.', {
      hint: 'Use “Segment this CSV” on a message with a .csv file shared in it.',
    });
  }
  const record = await importSharedCsv(ctx, {
    file,
    threadTs: message.thread_ts ?? messageTs,
    userId: ctx.userId,
  });
  if (record) await runSegment(ctx);
}
