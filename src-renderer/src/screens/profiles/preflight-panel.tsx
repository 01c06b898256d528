import { Card, CardHeader, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ErrorInfo } from '@contract/errors.js';
import type { PreflightCheck, PreflightReport } from '@contract/preflight.js';
import { ErrorBar } from '../../components/error-bar.js';
import { CheckmarkCircleFilled, ErrorCircleFilled, ShieldTaskRegular, WarningFilled } from '../../icons.js';

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    marginTop: tokens.spacingVerticalS,
  },
  item: { display: 'grid', gridTemplateColumns: '24px 1fr', columnGap: tokens.spacingHorizontalS },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  fix: { color: tokens.colorNeutralForeground2 },
});

function CheckRow({ check }: { check: PreflightCheck }) {
  const s = useStyles();
  const icon =
    check.status === 'ok' ? (
      <CheckmarkCircleFilled className={s.ok} />
    ) : check.status === 'warning' ? (
      <WarningFilled className={s.warning} />
    ) : (
      <ErrorCircleFilled className={s.failed} />
    );
  return (
    <div className={s.item} data-testid="preflight-check" data-status={check.status}>
      <span aria-label={check.status}>{icon}</span>
      <div>
        <Text weight="semibold">{check.title}</Text>
        <Text block>{check.message}</Text>
        {check.fix && check.status !== 'ok' ? (
          <Text block className={s.fix}>
            <strong>Fix: </strong>
            {check.fix}
          </Text>
        ) : null}
      </div>
    </div>
  );
}

export function PreflightPanel(props: { busy: boolean; report?: PreflightReport; error?: ErrorInfo }) {
  const s = useStyles();
  const failed = props.report?.checks.filter((c) => c.status === 'failed').length ?? 0;
  const warnings = props.report?.checks.filter((c) => c.status === 'warning').length ?? 0;
  return (
    <Card data-testid="preflight">
      <CardHeader
        image={<ShieldTaskRegular fontSize={24} />}
        header={
          <Text weight="semibold" size={400}>
            Preflight
          </Text>
        }
        description={
          props.busy
            ? 'Running every check…'
            : props.report
              ? props.report.ok
                ? `Ready: every check passed${warnings ? ` (${warnings} warning(s))` : ''}.`
                : `${failed} check(s) failed: fix them before the next backup.`
              : ''
        }
      />
      {props.busy ? <Spinner size="small" label="Checking connections, folders and permissions…" /> : null}
      {props.error ? <ErrorBar error={props.error} /> : null}
      {props.report ? (
        <div className={s.list}>
          {props.report.checks.map((c) => (
            <CheckRow key={c.id} check={c} />
          ))}
        </div>
      ) : null}
    </Card>
  );
}
