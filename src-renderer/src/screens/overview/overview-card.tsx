import {
  Badge,
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { OverviewEntry } from '@contract/ui.js';
import { rehearsalWords } from '@contract/sets.js';
import { StatusBadge, setBadgeStatus } from '../../components/status-badge.js';
import { formatBytes, formatDateTime, formatDuration, formatHours, formatSkew } from '@contract/format.js';
import { HistoryRegular, PlayRegular } from '../../icons.js';
import { RotationDrives } from './rotation-drives.js';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, whiteSpace: 'nowrap' },
  bad: { color: tokens.colorPaletteRedForeground1 },
  path: { overflowWrap: 'anywhere' },
});

/** Size of the set shown: all its destinations when the manifest is readable. */
function totalBytes(e: OverviewEntry): number | undefined {
  const set = e.lastGoodSet ?? e.lastSet;
  const m = set?.manifest;
  return m ? m.components.reduce((a, c) => a + c.artifacts.reduce((b, x) => b + x.bytes, 0), 0) : set?.bytes;
}

/** The card's badge: a run, a drive away, a problem, no schedule to judge against, or up to date. */
function stateOf(entry: OverviewEntry): {
  words: string;
  color: 'danger' | 'warning' | 'informative' | 'success';
} {
  if (entry.driveMissing !== undefined)
    return {
      words: entry.overdue ? 'Needs attention: drive not connected' : 'Drive not connected',
      color: entry.overdue ? 'danger' : 'warning',
    };
  if (entry.overdue) return { words: 'Needs attention', color: 'danger' };
  if (!entry.scheduled) return { words: 'No schedule', color: 'informative' };
  return { words: 'Up to date', color: 'success' };
}

export function OverviewCard({
  entry,
  onRun,
  onHistory,
}: {
  entry: OverviewEntry;
  onRun: () => void;
  onHistory: () => void;
}) {
  const s = useStyles();
  const last = entry.lastSet;
  const good = entry.lastGoodSet;
  const skew = good?.manifest?.skew;
  /** The set the card describes: the newest good one, else the newest at all. */
  const shown = good ?? last;
  const state = stateOf(entry);
  // Freshness is judged against the schedule only when the profile has one.
  const target = entry.scheduled
    ? `target ${formatHours(entry.targetIntervalHours)}`
    : 'no schedule, so no target';
  const seenNote =
    entry.setsSeenAt !== undefined ? ` (as last seen ${formatDateTime(entry.setsSeenAt)})` : '';
  return (
    <Card
      data-testid="overview-card"
      data-profile={entry.profile}
      data-overdue={entry.overdue ? 'true' : 'false'}
    >
      <CardHeader
        header={
          <Text size={500} weight="semibold">
            {entry.profile}{' '}
            <Badge appearance="tint" color={state.color} data-testid="overview-state">
              {state.words}
            </Badge>
          </Text>
        }
        description={entry.activeJobId ? 'A backup is running now.' : undefined}
        action={
          <div className={s.actions}>
            {/* One card per profile: each name says whose (the visible word first, for voice control). */}
            <Button
              appearance="primary"
              icon={<PlayRegular />}
              onClick={onRun}
              aria-label={`${entry.activeJobId ? 'Show run' : 'Back up now'}: ${entry.profile}`}
            >
              {entry.activeJobId ? 'Show run' : 'Back up now'}
            </Button>
            <Button icon={<HistoryRegular />} onClick={onHistory} aria-label={`History: ${entry.profile}`}>
              History
            </Button>
          </div>
        }
      />
      {entry.alert ? (
        <MessageBar intent={entry.overdue ? 'error' : 'warning'} data-testid="overview-alert">
          <MessageBarBody>
            <MessageBarTitle>{entry.alertTitle ?? 'Backup overdue'}</MessageBarTitle>
            {entry.alert}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {entry.rehearsalAlert ? (
        <MessageBar intent="warning" data-testid="overview-rehearsal-alert">
          <MessageBarBody>
            <MessageBarTitle>Not rehearsed</MessageBarTitle>
            {entry.rehearsalAlert}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {entry.damaged ? (
        <MessageBar intent="error" data-testid="overview-damaged">
          <MessageBarBody>
            <MessageBarTitle>Damaged backups</MessageBarTitle>
            {entry.damaged}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={s.facts}>
        <Text weight="semibold">Last backup</Text>
        <Text>
          {last ? (
            <>
              <StatusBadge status={setBadgeStatus(last)} size="small" /> {formatDateTime(last.startedAt)}
              {last.kind === 'pre-upgrade' ? ` (pre-upgrade${last.label ? `: ${last.label}` : ''})` : ''}
              {seenNote}
            </>
          ) : entry.driveMissing !== undefined && entry.setsSeenAt === undefined ? (
            'unknown until the drive is connected'
          ) : (
            'none yet'
          )}
        </Text>
        <Text weight="semibold">Newest good backup</Text>
        <Text className={entry.overdue ? s.bad : undefined} data-testid="overview-age">
          {good && entry.lastGoodAgeHours !== undefined
            ? `${formatHours(entry.lastGoodAgeHours)} old (${target})${seenNote}`
            : entry.driveMissing !== undefined && entry.setsSeenAt === undefined
              ? `unknown until the drive is connected (${target})`
              : `none (${target})`}
        </Text>
        <Text weight="semibold">Newest set proven restorable</Text>
        <Text data-testid="overview-proven">
          {entry.proven
            ? `${entry.proven.setName} — ${rehearsalWords(entry.proven.rehearsal, (iso) => formatDateTime(iso), formatDuration)}`
            : 'none: no set has passed a restore rehearsal yet'}
        </Text>
        <Text weight="semibold">Contents</Text>
        <Text>
          {shown
            ? shown.status === 'unreadable'
              ? 'UNREADABLE: its manifest cannot be believed'
              : shown.damaged
                ? 'DAMAGED: verify found it damaged; not a usable backup'
                : shown.complete
                  ? 'Full Octane backup: database, Elasticsearch, repository folder'
                  : (shown.manifest?.completenessNote ?? 'Not a usable backup')
            : '–'}
        </Text>
        <Text weight="semibold">Consistency window</Text>
        <Text className={skew?.withinTolerance === false ? s.bad : undefined}>
          {skew
            ? formatSkew(skew.windowSeconds, skew.toleranceSeconds)
            : `– (tolerance ${formatDuration(entry.skewToleranceSeconds)})`}
        </Text>
        <Text weight="semibold">Size</Text>
        <Text>{formatBytes(totalBytes(entry))}</Text>
        <Text weight="semibold">Where</Text>
        <Text className={s.path}>{shown?.path ?? (entry.destinations.join(', ') || '–')}</Text>
        <Text weight="semibold">Next scheduled run</Text>
        <Text data-testid="overview-next">
          {entry.schedule.nextRun ? formatDateTime(entry.schedule.nextRun) : entry.schedule.note}
        </Text>
      </div>
      {entry.rotation ? <RotationDrives rotation={entry.rotation} /> : null}
    </Card>
  );
}
