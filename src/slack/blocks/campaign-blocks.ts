/**
 * What segbot says about campaigns: the new campaign with its suppression counts and power
 * statement, the measured result with its verdict, the list of campaigns and the digest lines.
 * Data-derived text (names, files) is escaped; counts and group sizes only, never a customer id.
 */
import type { CampaignRecord } from '../../../db/repositories/campaign-store.js';
import { formatPoints, type LiftResult } from '../../analytics/campaign/lift.js';
import type { CampaignOutcome } from '../../analytics/campaign/outcome.js';
import { SUPPRESSION_REASONS } from '../../analytics/campaign/suppress.js';
import { type CreatedCampaign, campaignAudienceText } from '../../services/campaigns.js';
import { escapeSlackText } from '../escape-text.js';
import { context, formatCount, formatShare, type KnownBlock, section } from './format.js';

export interface CampaignMessage {
  text: string;
  blocks: KnownBlock[];
}

function audienceText(campaign: CampaignRecord): string {
  return escapeSlackText(campaignAudienceText(campaign.definition));
}

/** The reply to `campaign new`. */
export function newCampaignMessage(created: CreatedCampaign): CampaignMessage {
  const { campaign, audience, power } = created;
  const name = escapeSlackText(campaign.name);
  const taken = SUPPRESSION_REASONS.filter((r) => audience.suppressed[r] > 0).map(
    (r) => `${formatCount(audience.suppressed[r])} ${r}`,
  );
  const suppressedTotal = SUPPRESSION_REASONS.reduce((s, r) => s + audience.suppressed[r], 0);
  const checked = created.suppressionColumns.map((c) => `${escapeSlackText(c.column)} (${c.reason})`);
  if (created.suppressionListSize > 0)
    checked.push(`the channel's suppression list (${formatCount(created.suppressionListSize)} ids)`);
  const suppressionLine =
    suppressedTotal > 0
      ? `:no_entry: Never contacted: ${formatCount(suppressedTotal)} taken out (${taken.join(', ')}).`
      : ':no_entry: Never contacted: nobody in this audience is marked deceased, opted out, an employee or on the suppression list.';
  const checkedLine =
    checked.length > 0
      ? `Checked: ${checked.join(', ')}.`
      : 'No deceased, opt-out or employee column was found in the data, and the channel has no suppression list.';
  const excludedLine = audience.excluded > 0 ? ` ${formatCount(audience.excluded)} excluded by name.` : '';
  const heading = `:dart: Campaign *${name}* is live: ${formatCount(audience.treatment)} to contact, ${formatCount(audience.control)} held back (${formatShare(campaign.definition.holdout)}).`;
  const blocks: KnownBlock[] = [
    section(heading),
    section(
      `*Audience:* ${audienceText(campaign)} (${formatCount(audience.eligible)} picked before suppression).\n${suppressionLine}${excludedLine}\n${checkedLine}`,
    ),
    section(`${power.tooSmall ? ':warning: ' : ':bar_chart: '}${escapeSlackText(power.text)}`),
    context(
      `Split stratified by segment and score decile, seed ${campaign.definition.seed}, stored unchanged. The treatment list follows as a CSV where the channel may receive customer ids; the held-back customers are never exported. Measure with \`/segbot campaign results "${name}"\`.`,
    ),
  ];
  return { text: heading, blocks };
}

/** The result message: rates, lift with its interval, relative lift, incremental conversions, verdict. */
export function campaignResultMessage(input: {
  campaign: CampaignRecord;
  lift: LiftResult;
  outcome: CampaignOutcome;
  sourceText: string;
}): CampaignMessage {
  const { campaign, lift, outcome } = input;
  const name = escapeSlackText(campaign.name);
  const verdictIcon =
    lift.verdict === 'worked'
      ? ':white_check_mark:'
      : lift.verdict === 'backfired'
        ? ':x:'
        : ':grey_question:';
  const heading = `${verdictIcon} *${name}* ${lift.verdictText}`;
  const rates = [
    `Contacted: ${formatShare(lift.treatment.rate)} converted (${formatCount(lift.treatment.conversions)} of ${formatCount(lift.treatment.customers)}; 95% CI ${formatShare(lift.treatment.interval.lower)}–${formatShare(lift.treatment.interval.upper)})`,
    `Held back: ${formatShare(lift.control.rate)} converted (${formatCount(lift.control.conversions)} of ${formatCount(lift.control.customers)}; 95% CI ${formatShare(lift.control.interval.lower)}–${formatShare(lift.control.interval.upper)})`,
  ];
  const relative =
    lift.relativeLift === null
      ? 'relative lift: not defined (nobody held back converted)'
      : `relative lift ${lift.relativeLift >= 0 ? '+' : '−'}${formatShare(Math.abs(lift.relativeLift))}`;
  const incremental = `${formatPoints(lift.absoluteLift)} pp absolute, ${relative}; about ${formatCount(Math.round(lift.incrementalConversions))} conversions added among the contacted (95% CI ${formatCount(Math.round(lift.interval.lower * lift.treatment.customers))} to ${formatCount(Math.round(lift.interval.upper * lift.treatment.customers))}).`;
  const notes = [`Outcome from ${escapeSlackText(input.sourceText)}`];
  if (outcome.unmatched > 0)
    notes.push(`${formatCount(outcome.unmatched)} members not in the later upload, left out of both groups`);
  if (outcome.outsiders > 0)
    notes.push(`${formatCount(outcome.outsiders)} listed responders were not in the campaign`);
  const blocks: KnownBlock[] = [
    section(heading),
    section(rates.join('\n')),
    section(incremental),
    context(notes.join(' · ')),
  ];
  return { text: `${campaign.name}: ${lift.verdictText}`, blocks };
}

function latestLift(campaign: CampaignRecord): string {
  const result = campaign.latestResult;
  return result ? escapeSlackText(result.verdictText) : 'not measured yet';
}

/** `/segbot campaigns`. */
export function campaignListMessage(campaigns: readonly CampaignRecord[]): CampaignMessage {
  if (campaigns.length === 0) {
    const text =
      'There are no campaigns in this channel yet. Start one with `/segbot campaign new "<name>" segment=… product=… top=N`.';
    return { text, blocks: [section(text)] };
  }
  const lines = campaigns.map(
    (c) =>
      `• *${escapeSlackText(c.name)}* (${c.status}): ${formatCount(c.definition.treatment)} contacted, ${formatCount(c.definition.control)} held back; ${latestLift(c)}`,
  );
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  return { text: `${campaigns.length} campaigns in this channel`, blocks };
}

/** One escaped line per live campaign, for the weekly digest. */
export function campaignDigestLines(campaigns: readonly CampaignRecord[]): string[] {
  return campaigns.map((c) => `:dart: *${escapeSlackText(c.name)}*: ${latestLift(c)}`);
}
