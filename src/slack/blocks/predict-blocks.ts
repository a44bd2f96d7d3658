/**
 * The Block Kit reply of `/segbot predict`: the verdict in plain words, the held-out numbers, the
 * drivers, a customer list's match report and (where the channel may see customer ids) the top
 * customers. Everything data-derived is escaped.
 */
import { modelComparison } from '../../analytics/predict/evaluate.js';
import { leakageReasonText } from '../../analytics/predict/leakage-guard.js';
import type { PropensityResult } from '../../analytics/predict/train-propensity.js';
import { escapeSlackText } from '../escape-text.js';
import { context, formatCount, header, type KnownBlock, section } from './format.js';

const percent = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

/**
 * Whom the top list ranks, in mrkdwn ("customers without Loan in Revolvers", "customers of
 * ids.csv"): the product, segment and list file names come from data and people, so are escaped.
 */
export function predictionScope(input: {
  label: string;
  segment?: string | undefined;
  listFile?: string | undefined;
}): string {
  if (input.listFile !== undefined) return `customers of ${escapeSlackText(input.listFile)}`;
  const without = `customers without ${escapeSlackText(input.label)}`;
  return input.segment !== undefined ? `${without} in ${escapeSlackText(input.segment)}` : without;
}

/**
 * The drivers with their direction and share ("higher balance → more likely (24%)"), or the
 * features and shares alone for a model stored without directions.
 */
export function driversLine(result: Pick<PropensityResult, 'drivers' | 'importances'>): string {
  const parts =
    result.drivers.length > 0
      ? result.drivers.slice(0, 5).map((d) => `${escapeSlackText(d.text)} (${percent(d.importance)})`)
      : result.importances.slice(0, 5).map((f) => `${escapeSlackText(f.feature)} ${percent(f.importance)}`);
  return `*Drivers:* ${parts.join(' · ')}`;
}

/** Longest rule shown, in characters: a section holds 3,000, and four rules share one. */
const RULE_CHARS = 400;

/**
 * The shallow tree's rules, to paste into a campaign tool, with their held-out rates; null when
 * there are none. Rule texts quote column names and values from the data, so they are escaped.
 */
export function rulesText(result: Pick<PropensityResult, 'rules' | 'label'>): string | null {
  const rules = result.rules;
  if (!rules || rules.rules.length === 0) return null;
  const lines = rules.rules.map((rule) => {
    const text = rule.text.length > RULE_CHARS ? `${rule.text.slice(0, RULE_CHARS - 1)}…` : rule.text;
    return `• ${rule.kind === 'low' ? '_Leave out:_ ' : ''}${escapeSlackText(text)}: *${percent(rule.rate)}* (${formatCount(rule.positives)} of ${formatCount(rule.customers)})`;
  });
  return `*Rules for a campaign tool* (share with ${escapeSlackText(result.label)} among the ${formatCount(rules.customers)} held-out customers; ${percent(rules.baseRate)} overall):\n${lines.join('\n')}`;
}

/** The reply: verdict, numbers, drivers, and (where allowed) the top customers. */
export function predictionMessage(
  result: PropensityResult,
  input: {
    fileName: string;
    version: number;
    top: number;
    customerLevel: boolean;
    reused: boolean;
    scope: string;
    /** The command that repeats the prediction without the given features. */
    excludeCommand: (features: string[]) => string;
  },
): { text: string; blocks: KnownBlock[] } {
  const name = escapeSlackText(result.label);
  const blocks: KnownBlock[] = [
    header(
      result.holding ? `Who is likely to take up ${result.label}` : `Who is most likely: ${result.label}`,
    ),
  ];
  blocks.push(
    context(
      `${escapeSlackText(input.fileName)} v${input.version} · ${formatCount(result.customers)} customers, ${result.holding ? `${formatCount(result.holders)} hold ${name}` : `${name}: ${formatCount(result.holders)}`} (${percent(result.baseRate)})${result.askedValue === null && !result.holding ? ` · predicting the rarer value, ${escapeSlackText(result.positive)}` : ''}${input.reused ? ' · model reused (data unchanged)' : ''}`,
    ),
  );
  const summary = escapeSlackText(result.summary, 'message');
  blocks.push(section(summary));
  if (result.leakage.length > 0) {
    const lines = result.leakage.map(
      (flag) =>
        `• \`${escapeSlackText(flag.feature, 'code')}\` is possibly known only after the outcome: ${escapeSlackText(leakageReasonText(flag))}.`,
    );
    const command = input.excludeCommand(result.leakage.map((f) => f.feature));
    blocks.push(
      section(
        `:warning: *Check these features before trusting the numbers above.*\n${lines.join('\n')}\nIf they are recorded after the customer decides, leave them out: \`${escapeSlackText(command, 'code')}\``,
      ),
    );
  }
  if (result.trusted && result.auc !== null && result.heldOut) {
    blocks.push(
      section(
        [
          `*Held-out check:* ${formatCount(result.heldOut.customers)} customers the model never saw (${formatCount(result.heldOut.holders)} holders)`,
          `AUC ${result.auc.toFixed(2)} · top-decile precision ${percent(result.precisionTopDecile ?? 0)} · lift ${(result.liftTopDecile ?? 0).toFixed(1)}×`,
          ...(result.models.length > 0 ? [modelComparison(result.model, result.models)] : []),
          driversLine(result),
        ].join('\n'),
      ),
    );
    const rules = rulesText(result);
    if (rules !== null) blocks.push(section(rules));
    const list = result.customerList;
    if (list && (list.unknown.length > 0 || list.duplicates.length > 0)) {
      const notes: string[] = [];
      if (list.unknown.length > 0) {
        notes.push(
          `${formatCount(list.unknown.length)} ${list.unknown.length === 1 ? 'id is' : 'ids are'} not in the dataset and were not scored: ${escapeSlackText(list.unknown.slice(0, 10).join(', '))}${list.unknown.length > 10 ? ', …' : ''}`,
        );
      }
      if (list.duplicates.length > 0) {
        notes.push(
          `${formatCount(list.duplicates.length)} listed more than once (scored once): ${escapeSlackText(list.duplicates.slice(0, 10).join(', '))}${list.duplicates.length > 10 ? ', …' : ''}`,
        );
      }
      blocks.push(
        section(
          `*Customer list:* ${formatCount(list.matched)} of ${formatCount(list.requested)} ids found.\n${notes.join('\n')}`,
        ),
      );
    }
    if (input.customerLevel && input.top > 0 && result.scores.length > 0) {
      const top = (withReason: boolean): string[] =>
        result.scores
          .slice(0, input.top)
          .map(
            (s, i) =>
              `${i + 1}. \`${escapeSlackText(s.customerId, 'code')}\` ${(s.probability * 100).toFixed(0)}%${s.holds ? ' (already holds it)' : ''}${withReason && s.reasons.length > 0 ? ` · ${escapeSlackText(s.reasons[0]!)}` : ''}`,
          );
      const heading = (n: number): string =>
        `*Top ${n} of ${formatCount(result.scores.length)} ${input.scope}:*`;
      // Each customer's strongest reason, while the list stays within a section's 3,000 characters.
      let lines = top(true);
      if (heading(lines.length).length + lines.join('\n').length > 2900) lines = top(false);
      blocks.push(section(`${heading(lines.length)}\n${lines.join('\n')}`));
    } else if (!input.customerLevel) {
      blocks.push(
        context(
          'The top customers and the scored CSV were withheld: this channel is not allowed to receive customer-level data (customer ids). An admin can allow it with `/segbot channel allow`; `/segbot channel status` shows the setting.',
        ),
      );
    }
  }
  return { text: `${name}: ${summary}`, blocks };
}
