import { ProgressBar, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { StatusBadge } from '../../components/status-badge.js';
import { formatBytes, formatDuration, formatRate } from '@contract/format.js';
import {
  CheckmarkCircleFilled,
  CircleRegular,
  ErrorCircleFilled,
  SubtractCircleRegular,
  WarningFilled,
} from '../../icons.js';
import type { StepView } from '../../state/run-state.js';

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
  fix: { color: tokens.colorNeutralForeground2 },
});

/** Silence longer than this (seconds) is pointed out: a stalled step must not look busy. */
export const STALL_SECONDS = 60;

export function StepRow({ step, now, index }: { step: StepView; now: number; index: number }) {
  const s = useStyles();
  const c = step.counters;
  const running = step.status === 'running';
  const idle = step.lastActivityAt ? (now - Date.parse(step.lastActivityAt)) / 1000 : undefined;
  const icon =
    step.status === 'succeeded' ? (
      <CheckmarkCircleFilled className={s.ok} fontSize={24} />
    ) : step.status === 'succeeded-with-warnings' ? (
      <WarningFilled className={s.warn} fontSize={24} />
    ) : step.status === 'failed' || step.status === 'cancelled' ? (
      <ErrorCircleFilled className={s.bad} fontSize={24} />
    ) : step.status === 'skipped' || step.status === 'not-run' ? (
      <SubtractCircleRegular className={s.idle} fontSize={24} />
    ) : running ? (
      <Spinner size="extra-small" aria-label="running" />
    ) : (
      <CircleRegular className={s.idle} fontSize={24} />
    );
  const showBar = step.enabled && step.status !== 'skipped' && step.status !== 'not-run';
  return (
    <div
      className={s.row}
      data-testid={`step-${step.id}`}
      data-status={step.status}
      data-fraction={step.fraction}
    >
      <div>{icon}</div>
      <div>
        <div className={s.head}>
          <Text weight="semibold">
            {index + 1}. {step.title}
          </Text>
          <StatusBadge status={step.status} size="small" />
          {showBar ? <Text>{Math.round(step.fraction * 100)} %</Text> : null}
        </div>
        {showBar ? (
          <ProgressBar
            value={step.fraction}
            thickness="large"
            color={
              step.status === 'failed' || step.status === 'cancelled'
                ? 'error'
                : step.status === 'succeeded-with-warnings'
                  ? 'warning'
                  : step.status === 'succeeded'
                    ? 'success'
                    : 'brand'
            }
            aria-label={`${step.title} progress`}
          />
        ) : null}
        {showBar && (running || step.bytes !== undefined) ? (
          <div className={s.figures}>
            {(running ? c.bytesDone : step.bytes) !== undefined ? (
              <span data-testid="bytes">
                {formatBytes(running ? c.bytesDone : step.bytes)}
                {running && c.bytesTotal !== undefined ? ` of ${formatBytes(c.bytesTotal)}` : ''}
              </span>
            ) : null}
            {running && c.itemsTotal !== undefined ? (
              <span>{`${(c.itemsDone ?? 0).toLocaleString()} of ${c.itemsTotal.toLocaleString()} done`}</span>
            ) : null}
            {running && c.bytesPerSecond !== undefined ? <span>{formatRate(c.bytesPerSecond)}</span> : null}
            {running && c.etaSeconds !== undefined ? (
              <span data-testid="eta">ETA {formatDuration(c.etaSeconds)}</span>
            ) : null}
            {running && idle !== undefined ? (
              <span className={idle > STALL_SECONDS ? s.warn : undefined} data-testid="last-activity">
                last activity {formatDuration(idle)} ago
              </span>
            ) : null}
            {step.artifacts !== undefined ? <span>{step.artifacts} artifact(s)</span> : null}
          </div>
        ) : null}
        {running && c.message ? <Text block>{c.message}</Text> : null}
        {running && c.activity ? (
          <Text block className={s.activity} data-testid="activity">
            {c.activity}
          </Text>
        ) : null}
        {step.error ? (
          <Text block className={s.bad}>
            {step.error.message}
            {step.error.fix ? (
              <Text block className={s.fix}>
                <strong>Fix: </strong>
                {step.error.fix}
              </Text>
            ) : null}
          </Text>
        ) : null}
        {step.warnings.map((w, i) => (
          <Text block key={i} className={s.warn}>
            {w.code}: {w.message}
          </Text>
        ))}
      </div>
    </div>
  );
}
