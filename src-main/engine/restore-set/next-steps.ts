// What the admin does after a restore: start Octane, watch its wrapper.log for the readiness line
// ("Server is ready! (Boot time", what Octane's own install scripts wait for), then check each store
// from the application. After a failure or a cancel: keep Octane stopped and how to go on.
import type { Profile } from '../../contract/profile.js';
import { stageList, type RestoreStageId, type RestoreStageReport } from '../../contract/restore-run.js';

/** Where Octane writes wrapper.log: next to its conf folder, else the default install folders. */
export function wrapperLogOf(profile: Profile, platform: NodeJS.Platform = process.platform): string {
  const conf = profile.octaneConfigDir;
  if (conf) {
    const win = /^[A-Za-z]:|\\/.test(conf);
    const parent = conf.replace(/[\\/]+$/, '').replace(/[\\/][^\\/]*$/, '');
    return win ? `${parent}\\log\\wrapper.log` : `${parent}/log/wrapper.log`;
  }
  return platform === 'win32' ? 'C:\\octane\\log\\wrapper.log' : '/opt/octane/log/wrapper.log';
}

function startCommand(profile: Profile, platform: NodeJS.Platform): string {
  const svc = profile.octaneService;
  if (!svc) return 'Start the Octane service on every node.';
  return platform === 'win32'
    ? `Start Octane on every node (here: Start-Service -Name '${svc}').`
    : `Start Octane on every node (here: systemctl start ${svc}).`;
}

export function nextSteps(
  profile: Profile,
  stages: readonly Pick<RestoreStageReport, 'id' | 'status' | 'details'>[],
  platform: NodeJS.Platform = process.platform,
): string[] {
  const ok = (s: Pick<RestoreStageReport, 'status'>): boolean =>
    s.status === 'succeeded' || s.status === 'succeeded-with-warnings';
  const restored = stages.filter(ok).map((s) => s.id);
  const stopped = stages.filter(
    (s) => s.status === 'failed' || s.status === 'cancelled' || s.status === 'not-run',
  );
  if (stopped.length > 0)
    return [
      `Keep Octane stopped: ${stageList(stopped.map((s) => s.id))} ${stopped.length === 1 ? 'is' : 'are'} not restored, so the stores are not from the same moment.`,
      'Read the state of each store above, fix the cause, then run the restore again (the stores already restored can be restored again safely, or left out with --only).',
      'To go back instead: the previous repository folder and config files were kept (see each store above).',
    ];
  if (restored.length === 0) return ['Nothing was restored: Octane can be started as it was.'];
  const steps = [
    startCommand(profile, platform),
    `Watch ${wrapperLogOf(profile, platform)} until it says "Server is ready! (Boot time …)"; an error before that line names what Octane could not use.`,
    'Log in as a site admin: open the spaces and workspaces list (the database), then open a few entities with attachments (the repository folder), run a search and open a trend or the audit (Elasticsearch).',
  ];
  const repo = stages.find((s) => s.id === 'repository' && ok(s));
  const aside = (repo?.details as { movedAside?: string } | undefined)?.movedAside;
  if (aside) steps.push(`Keep ${aside} until Octane runs correctly on the restored folder, then delete it.`);
  if (restored.includes('config'))
    steps.push(
      "Each replaced config file is kept beside it as <file>.before-restore-<time>. Every other node's octane.conf needs the same restore on that node.",
    );
  const missing: RestoreStageId[] = (['database', 'elasticsearch', 'repository'] as const).filter(
    (id) => !restored.includes(id),
  );
  if (missing.length)
    steps.push(
      `Only part of Octane came back from the set: ${stageList(missing)} stayed as before. Check what refers across the stores (attachments, search results).`,
    );
  return steps;
}
