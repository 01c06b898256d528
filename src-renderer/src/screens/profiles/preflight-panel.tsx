import { Card, CardHeader, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ErrorInfo } from '@contract/errors.js';
import type { PreflightCheck, PreflightReport } from '@contract/preflight.js';
import { plural } from '@contract/format.js';
import { COMPONENT_IDS } from '@contract/profile.js';
import { COMPONENT_TITLES } from '@contract/words.js';
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

const GROUP_ORDER: PreflightCheck['component'][] = ['profile', 'destination', ...COMPONENT_IDS];
const GROUP_TITLES: Record<PreflightCheck['component'], string> = {
  profile: 'Profile settings',
  destination: 'Backup destination',
  ...COMPONENT_TITLES,
};
const RANK = { failed: 0, warning: 1, ok: 2 } as const;

/** The checks by store, the store with a problem first; inside each, problems first. */
export function groupChecks(
  checks: PreflightCheck[],
): { component: PreflightCheck['component']; checks: PreflightCheck[] }[] {
  const groups = GROUP_ORDER.map((component) => ({
    component,
    checks: checks.filter((c) => c.component === component).sort((a, b) => RANK[a.status] - RANK[b.status]),
  })).filter((g) => g.checks.length > 0);
  const worst = (g: { checks: PreflightCheck[] }): number => Math.min(...g.checks.map((c) => RANK[c.status]));
  return groups.sort((a, b) => worst(a) - worst(b));
}

export function preflightVerdict(report: PreflightReport): string {
  const failed = report.checks.filter((c) => c.status === 'failed').length;
  const warnings = report.checks.filter((c) => c.status === 'warning').length;
  if (failed > 0) return `${plural(failed, 'problem')} to fix before the next backup (listed first).`;
  if (warnings > 0) return `Ready to back up, but read ${plural(warnings, 'warning')} first (listed first).`;
  return 'Ready: every check passed.';
}

export function PreflightPanel(props: {
  busy: boolean;
  report?: PreflightReport;
  error?: ErrorInfo;
  title?: string;
}) {
  const s = useStyles();
  return (
    <Card data-testid="preflight">
      <CardHeader
        image={<ShieldTaskRegular fontSize={24} />}
        header={
          <Text weight="semibold" size={400}>
            {props.title ?? 'Preflight'}
          </Text>
        }
        description={
          <Text role="status">
            {props.busy ? 'Running every check…' : props.report ? preflightVerdict(props.report) : ''}
          </Text>
        }
      />
      {props.busy ? <Spinner size="small" label="Checking connections, folders and permissions…" /> : null}
      {props.error ? <ErrorBar error={props.error} /> : null}
      {props.report ? (
        <div className={s.list}>
          {groupChecks(props.report.checks).map((g) => {
            const problems = g.checks.filter((c) => c.status !== 'ok');
            const passed = g.checks.filter((c) => c.status === 'ok');
            return (
              <section key={g.component} aria-label={GROUP_TITLES[g.component]} className={s.list}>
                <Text as="h3" weight="semibold" size={300}>
                  {GROUP_TITLES[g.component]}
                </Text>
                {problems.map((c) => (
                  <CheckRow key={c.id} check={c} />
                ))}
                {passed.length > 0 ? (
                  <details>
                    <summary>{plural(passed.length, 'check')} passed</summary>
                    <div className={s.list}>
                      {passed.map((c) => (
                        <CheckRow key={c.id} check={c} />
                      ))}
                    </div>
                  </details>
                ) : null}
              </section>
            );
          })}
        </div>
      ) : null}
    </Card>
  );
}
