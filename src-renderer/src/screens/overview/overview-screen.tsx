import type { OverviewEntry } from '@contract/ui.js';
import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect } from 'react';
import { call, useApi } from '../../api/api-context.js';
import { ErrorBar } from '../../components/error-bar.js';
import { AddRegular, ArrowSyncRegular } from '../../icons.js';
import { useAsync } from '../../state/use-async.js';
import { useRuns } from '../../state/runs-context.js';
import { OverviewCard } from './overview-card.js';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
  },
  head: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  grow: { flexGrow: 1, margin: 0 },
  footnote: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  code: { fontFamily: tokens.fontFamilyMonospace },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(460px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
});

/** Nothing overdue: "recent" only for what was judged against a schedule on a drive seen now. */
function calmSummary(list: OverviewEntry[]): string {
  const away = list.filter((e) => e.driveMissing !== undefined).length;
  const unscheduled = list.filter((e) => !e.scheduled && e.driveMissing === undefined).length;
  if (away === 0 && unscheduled === 0) return `All ${list.length} profile(s) have a recent good backup.`;
  const notes = [
    away > 0 ? `${away} with its drive not connected` : '',
    unscheduled > 0 ? `${unscheduled} without a schedule, so not judged for age` : '',
  ].filter((n) => n !== '');
  return `No profile needs attention (${notes.join('; ')}).`;
}

export function OverviewScreen(props: {
  onRun: (profile: string) => void;
  onHistory: (profile: string) => void;
  onNewProfile: () => void;
  /** The first-run wizard (offered while there is no profile). */
  onSetup?: () => void;
}) {
  const api = useApi();
  const s = useStyles();
  const runs = useRuns();
  const overview = useAsync(() => call(api, 'overview:get'), 'overview');
  const info = useAsync(() => call(api, 'app:info'), 'info');
  // A run that ends changes the picture: refresh when one finishes.
  const finished = runs.runs.filter((r) => r.outcome !== undefined).length;
  const { reload } = overview;
  useEffect(() => {
    if (finished > 0) reload();
  }, [finished, reload]);
  const overdue = overview.value?.filter((e) => e.overdue).length ?? 0;
  return (
    <div className={s.root}>
      <div className={s.head}>
        <Title2 as="h1" className={s.grow}>
          Overview
        </Title2>
        {overview.loading ? <Spinner size="tiny" /> : null}
        <Button icon={<ArrowSyncRegular />} onClick={reload}>
          Refresh
        </Button>
      </div>
      {overview.error ? <ErrorBar error={overview.error} /> : null}
      {overview.value && overview.value.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>
            No profile yet. A profile says what to back up (database, Elasticsearch, repository folder) and
            where to.{' '}
            {props.onSetup ? (
              <Button size="small" appearance="primary" onClick={props.onSetup}>
                Set up step by step
              </Button>
            ) : null}{' '}
            <Button size="small" icon={<AddRegular />} onClick={props.onNewProfile}>
              Create a profile
            </Button>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {overview.value && overview.value.length > 0 ? (
        <Text data-testid="overview-summary">
          {overdue > 0
            ? `${overdue} of ${overview.value.length} profile(s) need attention.`
            : calmSummary(overview.value)}
        </Text>
      ) : null}
      <div className={s.grid}>
        {overview.value?.map((e) => (
          <OverviewCard
            key={e.profile}
            entry={e}
            onRun={() => props.onRun(e.profile)}
            onHistory={() => props.onHistory(e.profile)}
          />
        ))}
      </div>
      {info.value ? (
        <Text size={200} className={s.footnote} data-testid="headless-hint">
          Scheduled tasks run this app without a window:{' '}
          <span className={s.code}>{info.value.headlessCommand}</span>. Each such run adds a line to{' '}
          {info.value.headlessLogFile}.
        </Text>
      ) : null}
    </div>
  );
}
