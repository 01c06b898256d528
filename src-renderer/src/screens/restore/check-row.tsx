import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { RestoreCheck } from '@contract/restore-run.js';
import { CheckmarkCircleFilled, ErrorCircleFilled, WarningFilled } from '../../icons.js';

const useStyles = makeStyles({
  item: { display: 'grid', gridTemplateColumns: '24px 1fr', columnGap: tokens.spacingHorizontalS },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  fix: { color: tokens.colorNeutralForeground2 },
});

export function CheckRow({ check }: { check: RestoreCheck }) {
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
    <div className={s.item} data-testid="restore-check" data-check={check.id} data-status={check.status}>
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
