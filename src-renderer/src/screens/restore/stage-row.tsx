import { ProgressBar, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatBytes, formatDuration, formatRate } from '@contract/format.js';
import { StatusBadge } from '../../components/status-badge.js';
import {
  CheckmarkCircleFilled,
  CircleRegular,
  ErrorCircleFilled,
  SubtractCircleRegular,
  WarningFilled,
} from '../../icons.js';
import type { RestoreStageView } from '../../state/restore-state.js';

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: '28px minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalM,
    paddingBottom: tokens.spacingVerticalM,
  },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    color: tokens.colorNeutralForeground2,
    marginTop: tokens.spacingVerticalXS,
  },
  activity: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    overflowWrap: 'anywhere',
  },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
  idle: { color: tokens.colorNeutralForeground3 },
  state: { color: tokens.colorNeutralForeground2 },
});

/** One store of a running restore, as the Run screen shows a step. */
export function StageRow({ stage, index }: { stage: RestoreStageView; index: number }) {
  const s = useStyles();
  const c = stage.counters;
  const running = stage.status === 'running';
  const icon =
    stage.status === 'succeeded' ? (
      <CheckmarkCircleFilled className={s.ok} fontSize={24} />
    ) : stage.status === 'succeeded-with-warnings' ? (
      <WarningFilled className={s.warn} fontSize={24} />
    ) : stage.status === 'failed' || stage.status === 'cancelled' ? (
      <ErrorCircleFilled className={s.bad} fontSize={24} />
    ) : !stage.selected || stage.status === 'skipped' || stage.status === 'not-run' ? (
      <SubtractCircleRegular className={s.idle} fontSize={24} />
    ) : running ? (
      <Spinner size="extra-small" aria-label="running" />
    ) : (
      <CircleRegular className={s.idle} fontSize={24} />
    );
  const showBar = stage.selected && stage.status !== 'skipped' && stage.status !== 'not-run';
  return (
    <div
      className={s.row}
      data-testid={`restore-stage-${stage.id}`}
      data-status={stage.status}
      data-fraction={stage.fraction}
    >
      <div>{icon}</div>
      <div>
        <div className={s.head}>
          <Text weight="semibold">
            {index + 1}. {stage.title}
          </Text>
          {stage.selected ? (
            <StatusBadge status={stage.status} size="small" />
          ) : (
            <Text className={s.idle}>not chosen</Text>
          )}
          {showBar ? <Text>{Math.round(stage.fraction * 100)} %</Text> : null}
          {stage.durationMs !== undefined ? (
            <Text className={s.state}>recovery time {formatDuration(stage.durationMs / 1000)}</Text>
          ) : null}
        </div>
        {showBar ? (
          <ProgressBar
            value={stage.fraction}
            thickness="large"
            color={
              stage.status === 'failed' || stage.status === 'cancelled'
                ? 'error'
                : stage.status === 'succeeded'
                  ? 'success'
                  : stage.status === 'succeeded-with-warnings'
                    ? 'warning'
                    : 'brand'
            }
            aria-label={`${stage.title} progress`}
          />
        ) : null}
        {running ? (
          <div className={s.figures}>
            {c.bytesDone !== undefined ? (
              <span>
                {formatBytes(c.bytesDone)}
                {c.bytesTotal !== undefined ? ` of ${formatBytes(c.bytesTotal)}` : ''}
              </span>
            ) : null}
            {c.itemsTotal !== undefined ? (
              <span>{`${(c.itemsDone ?? 0).toLocaleString()} of ${c.itemsTotal.toLocaleString()} done`}</span>
            ) : null}
            {c.bytesPerSecond !== undefined ? <span>{formatRate(c.bytesPerSecond)}</span> : null}
            {c.etaSeconds !== undefined ? <span>ETA {formatDuration(c.etaSeconds)}</span> : null}
          </div>
        ) : null}
        {running && c.message ? <Text block>{c.message}</Text> : null}
        {running && c.activity ? (
          <Text block className={s.activity} data-testid="activity">
            {c.activity}
          </Text>
        ) : null}
        {!running && stage.state ? (
          <Text block className={s.state} data-testid="stage-state">
            {stage.state}
          </Text>
        ) : null}
        {stage.error ? (
          <Text block className={s.bad}>
            {stage.error.message}
            {stage.error.fix ? (
              <Text block className={s.state}>
                <strong>Fix: </strong>
                {stage.error.fix}
              </Text>
            ) : null}
          </Text>
        ) : null}
        {stage.warnings.map((w, i) => (
          <Text block key={i} className={s.warn}>
            {w.code}: {w.message}
          </Text>
        ))}
      </div>
    </div>
  );
}
