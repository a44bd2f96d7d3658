/**
 * The `/segbot` listeners: one slash command with subcommands, and CSV files shared in channels.
 *
 * Every command is acknowledged first (Slack allows 3 seconds), then parsed and dispatched; all
 * errors end in reportError, which answers the person ephemerally. Slow work (upload, segment)
 * runs in the channel's job queue after the acknowledgement.
 */
import type {
  AllMiddlewareArgs,
  App,
  RespondFn,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Arrival } from '../src/jobs/shared-jobs.js';
import { refuseCustomerLevelMention } from '../src/slack/access.js';
import { handleAppMention } from '../src/slack/digest/mention-listener.js';
import { reportError } from '../src/slack/report-error.js';
import { runAdmins } from './admins.js';
import { runAlerts } from './alerts.js';
import { runCampaign } from './campaign.js';
import { runCampaigns } from './campaigns.js';
import { runChannel } from './channel.js';
import { type CommandContext, createCommandContext } from './context.js';
import { runCrosssell } from './crosssell.js';
import { type CommandDeps, checkCommandDeps } from './deps.js';
import { runDescribe } from './describe.js';
import { runDigest } from './digest.js';
import { runExport } from './export.js';
import { runForget } from './forget.js';
import { runHelp } from './help.js';
import { registerInteractions } from './interactive/index.js';
import { parseCommandText } from './parse-args.js';
import { runPredict } from './predict.js';
import { runProducts } from './products.js';
import { runPull } from './pull.js';
import { runReport } from './report.js';
import { runRfm } from './rfm.js';
import { runRuns } from './runs.js';
import { runSegment } from './segment.js';
import type { Subcommand } from './subcommand.js';
import { handleFileShare, runUpload } from './upload.js';

export type { CommandDeps } from './deps.js';
export type { Subcommand } from './subcommand.js';

/** The subcommands, in the order help lists them. */
export const SUBCOMMANDS: Subcommand[] = [
  {
    name: 'segment',
    usage: 'segment [k=auto|N] [features=a,b] [seed=N] [method=kmeans|gmm|density|compare] [keep=gmm]',
    summary:
      'Finds customer segments in this channel’s latest upload and posts their names, sizes, traits, suggested campaigns and charts. method=gmm uses a Gaussian mixture (how sure each segment is), method=density finds dense groups and the unusual customers outside them, method=compare runs all three side by side (keep=gmm or keep=density stores that one instead of k-means).',
    examples: [
      '/segbot segment',
      '/segbot segment k=5 seed=7',
      '/segbot segment method=compare',
      '/segbot segment features=BALANCE,PURCHASES,CASH_ADVANCE',
    ],
    run: runSegment,
  },
  {
    name: 'describe',
    usage: 'describe [segment name or number]',
    summary:
      'One segment in depth (profile, traits, campaign playbook, a chart); all segments briefly without an argument.',
    examples: ['/segbot describe', '/segbot describe 2', '/segbot describe revolvers'],
    run: runDescribe,
  },
  {
    name: 'runs',
    usage: 'runs [id]',
    summary:
      'The run history of this channel (when, who, dataset, parameters, k, silhouette, sizes); with an id, posts that run again.',
    examples: ['/segbot runs', '/segbot runs 1'],
    run: runRuns,
  },
  {
    name: 'predict',
    usage: 'predict <product> [exclude=a,b] [features=a,b] [segment=<name>] [top=N] [seed=N] [list]',
    summary:
      'Trains gradient-boosted trees, a random forest and a logistic regression on who takes up a product, keeps the one that does best on a validation slice, says how all three do on customers they never saw, what drives the chosen one and which way, gives plain rules for a campaign tool, and posts the customers most likely to take it up with each one’s reasons (with `list`, scores the ids of the newest CSV shared here).',
    examples: [
      '/segbot predict credit card top=10',
      '/segbot predict loan segment=revolvers',
      '/segbot predict savings account top=20',
      '/segbot predict loan exclude=CASH_ADVANCE',
    ],
    run: runPredict,
  },
  {
    name: 'campaign',
    usage:
      'campaign new <name> [segment=… | rfm=<RFM segments>] [product=… top=N|deciles=1-2] [holdout=10%] [exclude=…] | results <name> [list] | close <name> | suppress',
    summary:
      'Targets an audience with a held-back control group (suppressed customers taken out), exports the treatment list, and measures the lift from a later upload or a responder list.',
    examples: [
      '/segbot campaign new "Loan push" segment=revolvers product=has_personal_loan top=500',
      '/segbot campaign new "Card upgrade" product=has_credit_card_upgrade deciles=1-2 holdout=10%',
      '/segbot campaign results "Loan push"',
      '/segbot campaign close "Loan push"',
    ],
    run: runCampaign,
  },
  {
    name: 'campaigns',
    usage: 'campaigns',
    summary: 'The channel’s campaigns with their status and latest lift.',
    examples: ['/segbot campaigns'],
    run: runCampaigns,
  },
  {
    name: 'export',
    usage: 'export <segment> [product=… top=N] [held=include]',
    summary:
      'A segment’s customers as a CSV (with propensity for a product); customers held back by live campaigns are left out and counted.',
    examples: ['/segbot export revolvers product=has_personal_loan top=500'],
    run: runExport,
  },
  {
    name: 'products',
    usage: 'products',
    summary:
      'The product columns of the latest upload, how many customers hold each, and which have a model.',
    examples: ['/segbot products'],
    run: runProducts,
  },
  {
    name: 'report',
    usage: 'report [run <id>]',
    summary:
      'A deck for stakeholders: the latest run (or the one named) as an editable PowerPoint file and a PDF, posted here.',
    examples: ['/segbot report', '/segbot report run 1'],
    run: runReport,
  },
  {
    name: 'rfm',
    usage: 'rfm',
    summary:
      'RFM scores (recency, frequency, monetary, 1–5) and named segments (Champions … Lost) with a playbook and the R × F grid, for a transaction file uploaded here.',
    examples: ['/segbot rfm'],
    run: runRfm,
  },
  {
    name: 'crosssell',
    usage: 'crosssell',
    summary:
      'Products per customer, which products go together, holding rates by age, entry channel, activity, employee status and segment, and each segment’s next-best product.',
    examples: ['/segbot crosssell'],
    run: runCrosssell,
  },
  {
    name: 'upload',
    usage: 'upload [as_of=YYYY-MM-DD]',
    summary:
      'Imports the newest CSV shared in this channel. A CSV dropped into the channel is imported by itself; a transaction file (customer id, date, amount) is aggregated per customer, with recency as of its last date or as_of.',
    examples: ['/segbot upload', '/segbot upload as_of=2025-06-30'],
    run: runUpload,
  },
  {
    name: 'pull',
    usage: 'pull <source>',
    summary:
      'Imports a new version of this channel’s data from a data source an admin configured on segbot’s server (a PostgreSQL query, Parquet or CSV files), with the same quality report as an upload. Admins only.',
    examples: ['/segbot pull warehouse'],
    run: runPull,
  },
  {
    name: 'digest',
    usage: 'digest [weekly <day> <HH:MM> [timezone] [pull=<source>] | off | now]',
    summary:
      'A weekly digest of segment sizes, week-over-week changes, movers and top actions in this channel; without arguments, shows the schedule.',
    examples: [
      '/segbot digest weekly monday 09:00 Europe/London',
      '/segbot digest',
      '/segbot digest now',
      '/segbot digest off',
    ],
    run: runDigest,
  },
  {
    name: 'alerts',
    usage: 'alerts [threshold=N]',
    summary:
      'When a new run moves a segment’s share by N percentage points (default 5) or more, segbot opens a “segments changed” thread; without arguments, shows N.',
    examples: ['/segbot alerts threshold=3', '/segbot alerts'],
    run: runAlerts,
  },
  {
    name: 'admins',
    usage: 'admins [add @user | remove @user]',
    summary:
      'Who may upload data, change schedules, allow channels and forget data; admins add or remove other admins.',
    examples: ['/segbot admins', '/segbot admins add @dana', '/segbot admins remove @dana'],
    run: runAdmins,
  },
  {
    name: 'channel',
    usage: 'channel [allow | disallow | status]',
    summary:
      'Whether this channel may receive customer-level data (customer ids, scored CSVs, movers lists); admins allow or disallow it.',
    examples: ['/segbot channel status', '/segbot channel allow', '/segbot channel disallow'],
    run: runChannel,
  },
  {
    name: 'forget',
    usage: 'forget [confirm]',
    summary:
      'Admins only: says what would be deleted and asks for a confirm button; then deletes this channel’s datasets, runs, models, campaigns and suppression list, and says what was deleted (`confirm` skips the question).',
    examples: ['/segbot forget', '/segbot forget confirm'],
    run: runForget,
  },
  {
    name: 'help',
    aliases: ['?'],
    usage: 'help',
    summary: 'This list.',
    examples: [],
    run: (ctx) => runHelp(ctx, SUBCOMMANDS),
  },
];

/** The subcommand for a word, by name or alias. */
export function findSubcommand(
  word: string,
  subcommands: readonly Subcommand[] = SUBCOMMANDS,
): Subcommand | undefined {
  return subcommands.find((s) => s.name === word || s.aliases?.includes(word));
}

/**
 * Registers the `/segbot` command and the file_share listener on the app. Throws, naming what is
 * missing, when `deps` is incomplete.
 */
export function registerListeners(app: App, deps: CommandDeps): void {
  // Before any listener exists: an incomplete set must stop the app, not switch a check off.
  checkCommandDeps(deps);
  app.command('/segbot', (args) => handleSlashCommand(args, deps));
  app.event('message', (args) => handleMessageEvent(args, deps));
  registerInteractions(app, deps);
  app.event('app_mention', async ({ event, client }) => {
    if (await refuseCustomerLevelMention(event, deps, client)) return;
    await handleAppMention(event, deps.digests, deps.logger);
  });
}

/** The request's place in its channel's line, taken by the app's first middleware (absent in unit tests). */
function arrivalOf(context: Record<string, unknown>): Arrival | undefined {
  return context['arrival'] as Arrival | undefined;
}

function tokenOf(
  context: { botToken?: string | undefined },
  client: WebClient,
  deps: CommandDeps,
): string | undefined {
  return deps.config.botToken ?? context.botToken ?? client.token;
}

/** Handles one `/segbot …` invocation: acknowledges at once, then does the work. */
export async function handleSlashCommand(
  args: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  deps: CommandDeps,
  subcommands: readonly Subcommand[] = SUBCOMMANDS,
): Promise<void> {
  await args.ack();
  const { command, client, respond } = args;
  const target = { client, channelId: command.channel_id, userId: command.user_id, respond };
  try {
    const parsed = parseCommandText(command.text ?? '');
    const ctx = contextFor(args, deps, parsed.args, respond);
    // Stored with any job the command queues, so another instance can run it again.
    ctx.request = { source: 'command', words: [parsed.subcommand, ...parsed.args] };
    ctx.arrival = arrivalOf(args.context);
    await runSubcommand(ctx, parsed.subcommand, subcommands);
  } catch (error) {
    await reportError(error, target, deps.logger, 'command');
  }
}

/** Runs the subcommand named `word` with `ctx.args` (help when there is none or it is unknown). */
export async function runSubcommand(
  ctx: CommandContext,
  word: string,
  subcommands: readonly Subcommand[] = SUBCOMMANDS,
): Promise<void> {
  if (word === '') {
    await runHelp(ctx, subcommands);
    return;
  }
  const subcommand = findSubcommand(word, subcommands);
  if (!subcommand) {
    await runHelp(ctx, subcommands, word);
    return;
  }
  await subcommand.run(ctx);
}

function contextFor(
  args: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  deps: CommandDeps,
  words: string[],
  respond: RespondFn,
): CommandContext {
  return createCommandContext({
    channelId: args.command.channel_id,
    userId: args.command.user_id,
    args: words,
    client: args.client,
    botToken: tokenOf(args.context, args.client, deps),
    deps,
    respond,
  });
}

/**
 * Handles message events: only people's file shares matter (the bot's own uploads, edits and
 * ordinary messages are ignored).
 */
export async function handleMessageEvent(
  args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs,
  deps: CommandDeps,
): Promise<void> {
  const { event } = args;
  // An app's own uploads carry bot_id, which @slack/types leaves out of FileShareMessageEvent.
  if (event.subtype !== 'file_share' || ('bot_id' in event && event.bot_id) || !event.user) return;
  if (args.context.botUserId && event.user === args.context.botUserId) return;
  const ctx = createCommandContext({
    channelId: event.channel,
    userId: event.user,
    args: [],
    client: args.client,
    botToken: tokenOf(args.context, args.client, deps),
    deps,
  });
  ctx.arrival = arrivalOf(args.context);
  try {
    await handleFileShare(ctx, event);
  } catch (error) {
    await reportError(
      error,
      { ...ctx.errorTarget, threadTs: event.thread_ts ?? event.ts },
      deps.logger,
      'file_share',
    );
  }
}
