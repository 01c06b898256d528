// Every invoke channel's implementation, typed by the contract's ApiHandlers so a channel
// cannot be forgotten or mistyped. Bound to ipcMain in Electron and to page.exposeBinding in
// the real-Chromium end-to-end test. No electron import here.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApiHandlers } from '../contract/ipc.js';
import type { DatabaseConfig, ElasticsearchConfig, Profile, RunSecrets } from '../contract/profile.js';
import type {
  ConnectionRequest,
  DestinationInfo,
  PreflightRequest,
  SecretUpdate,
  SizeEstimate,
} from '../contract/ui.js';
import { ensureVolumeMarker, bindingFor, driveFor } from '../engine/drives/volume-marker.js';
import { freeBytes } from '../engine/preflight/destination-checks.js';
import type { AppCore } from './app-core.js';
import { effectiveProfile } from './destinations.js';
import { ExpectedError } from '../engine/errors.js';
import { errorInfoOf } from './envelope.js';
import { scanFolder } from './folder-scan.js';
import { isFinishedSet, overviewEntry, setTotalBytes } from './overview.js';
import { ejectDrive } from '../engine/removable/eject.js';
import { rotationStatus } from '../engine/removable/rotation.js';
import { createOpsHandlers, defaultOpsDeps, type OpsDeps } from './ops-handlers.js';
import { requireAllowed, verifyProgressEmitter } from './allowed-paths.js';
import { createRehearsalHandlers } from './rehearsal-handlers.js';
import { createRestoreHandlers } from './restore-handlers.js';
import { stripSecrets } from './strip-secrets.js';
import { openableSetPath } from './open-path.js';
import { configOf, requireSavedEnvNames, scopedSecrets, SECRET_SCOPES } from './secret-scope.js';

/** Typed-in secrets override stored ones; null forgets one for this check. */
function applyUpdate(base: RunSecrets, update: SecretUpdate = {}): RunSecrets {
  const out: RunSecrets = { ...base };
  for (const [k, v] of Object.entries(update) as [keyof RunSecrets, string | null | undefined][]) {
    if (v === null) delete out[k];
    else if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/**
 * Secrets for a connection test: typed ones, else the stored ones of the profile — only when the
 * form connects exactly where the saved profile does (secret-scope.ts).
 */
async function connectionSecrets(
  core: AppCore,
  req: ConnectionRequest<DatabaseConfig | ElasticsearchConfig>,
  scope: 'database' | 'elasticsearch',
): Promise<RunSecrets> {
  const saved = req.profileName !== undefined ? core.profiles.get(req.profileName)?.profile : undefined;
  const savedConfig = configOf(scope, saved);
  requireSavedEnvNames(scope, req.config, savedConfig, scope);
  const stored = saved ? await core.vault.resolve(saved.profile) : {};
  const typed: RunSecrets =
    scope === 'database'
      ? applyUpdate({}, { databasePassword: req.password ?? undefined })
      : applyUpdate(
          {},
          {
            elasticsearchPassword: req.password ?? undefined,
            elasticsearchApiKey: req.apiKey ?? undefined,
          },
        );
  return scopedSecrets(scope, req.config, savedConfig, stored, typed);
}

/**
 * Preflight of a form: typed secrets (in the draft or the request) go where the draft says;
 * stored ones only to the components whose target equals the saved profile's.
 */
async function preflightSecrets(
  core: AppCore,
  draft: Profile,
  found: SecretUpdate,
  req: PreflightRequest,
): Promise<RunSecrets> {
  const saved = req.storedName !== undefined ? core.profiles.get(req.storedName)?.profile : undefined;
  const stored = saved ? await core.vault.resolve(saved.profile) : {};
  const typed = applyUpdate(applyUpdate({}, found), req.secrets);
  // null in the request: "forget it for this check".
  const forgotten = new Set(
    Object.entries(req.secrets ?? {})
      .filter(([, v]) => v === null)
      .map(([k]) => k),
  );
  const usable: RunSecrets = Object.fromEntries(Object.entries(stored).filter(([k]) => !forgotten.has(k)));
  let out: RunSecrets = {};
  for (const scope of SECRET_SCOPES) {
    const key = scope === 'email' ? 'alerts.email' : scope;
    requireSavedEnvNames(scope, configOf(scope, draft), configOf(scope, saved), key);
    out = { ...out, ...scopedSecrets(scope, configOf(scope, draft), configOf(scope, saved), usable, typed) };
  }
  return out;
}

/** Nearest existing folder at or above `path` (free space of a destination not yet created). */
async function existingAncestor(path: string): Promise<string | undefined> {
  let cur = path;
  for (;;) {
    try {
      await stat(cur);
      return cur;
    } catch {
      const up = dirname(cur);
      if (up === cur) return undefined;
      cur = up;
    }
  }
}

/** `ops`: what the operations channels need from the platform (Electron injects the app's executable). */
export function createApiHandlers(core: AppCore, ops: OpsDeps = defaultOpsDeps()): ApiHandlers {
  const { deps } = core;
  return {
    ...createOpsHandlers(core, ops),
    ...createRestoreHandlers(core),
    ...createRehearsalHandlers(core),
    'app:info': async () => ({
      version: deps.info.version,
      platform: deps.info.platform,
      headlessLogFile: deps.info.headlessLogFile,
      headlessCommand: deps.info.headlessCommand('<profile>'),
      secretsAvailable: await deps.cipher.available(),
      logFolder: deps.info.logFolder,
    }),
    'app:open-log-folder': async () => {
      await mkdir(deps.info.logFolder, { recursive: true });
      const error = await deps.shell.openPath(deps.info.logFolder);
      if (error)
        throw new ExpectedError('OPEN_FAILED', `Cannot open ${deps.info.logFolder}: ${error}`, {
          step: 'app',
        });
      return null;
    },
    'profiles:list': () => Promise.resolve(core.profiles.list().map((e) => core.record(e))),
    'profiles:save': (req) => core.save(req),
    'profiles:delete': (name) => {
      core.remove(name);
      return Promise.resolve(null);
    },
    'profiles:validate': (draft) => Promise.resolve(core.validate(draft)),
    'profiles:preflight': async (req) => {
      const { profile: stripped, found } = stripSecrets(req.profile);
      const secrets = await preflightSecrets(core, stripped, found, req);
      let profile = stripped;
      if (req.volumes && Object.keys(req.volumes).length > 0) {
        try {
          profile = await effectiveProfile(
            { profile: stripped, volumes: req.volumes, updatedAt: '' },
            core.listDrives,
          );
        } catch (err) {
          const info = errorInfoOf(err);
          const check = {
            id: 'destination:drive',
            component: 'destination' as const,
            title: 'Backup drive',
            status: 'failed' as const,
            message: info.message,
          };
          return { ok: false, checks: [info.fix ? { ...check, fix: info.fix } : check] };
        }
      }
      return core.engine.runPreflight(profile, { secrets });
    },
    'profiles:estimate': async (name): Promise<SizeEstimate | null> => {
      const entry = core.entry(name);
      try {
        const { sets } = await core.setsOf(name);
        const good = sets.find(isFinishedSet);
        if (good) return { bytes: setTotalBytes(good), basis: `the last good backup (${good.setName})` };
      } catch {
        // drive not connected: fall back to the repository folder
      }
      if (!entry.profile.repository) return null;
      const scan = await scanFolder(entry.profile.repository.path);
      if (scan.files === 0 && !scan.complete) return null;
      return {
        bytes: scan.bytes,
        basis: 'the repository folder alone (database and Elasticsearch not counted yet)',
      };
    },
    'overview:get': async () => {
      const now = core.now();
      return Promise.all(
        core.profiles.list().map(async (e) => {
          const input: Parameters<typeof overviewEntry>[0] = {
            profile: e.profile,
            sets: () => core.setsOf(e.profile.profile),
            schedule: await core.schedule(e.profile),
            volumes: e.volumes,
            seen: {
              recall: () => core.seenSets.recall(e.profile.profile),
              remember: (seen) => core.seenSets.remember(e.profile.profile, seen),
            },
          };
          const job = core.runs.jobOf(e.profile.profile);
          if (job) input.activeJobId = job.jobId;
          if (e.profile.rotation)
            input.rotation = async () => rotationStatus(e.profile, { drives: await core.listDrives(), now });
          return overviewEntry(input, now);
        }),
      );
    },
    'runs:start': (req) => core.runs.start(req),
    'runs:cancel': (jobId) => Promise.resolve(core.runs.cancel(jobId)),
    'runs:active': () => Promise.resolve(core.runs.list()),
    'sets:list': async (name) => (await core.setsOf(name)).sets,
    'sets:verify': async (setPath) => {
      await requireAllowed(core, setPath);
      return core.verify(setPath, verifyProgressEmitter(deps.emit, setPath));
    },
    'sets:delete': (req) => core.deleteSet(req.profile, req.setName),
    'drives:list': () => core.listDrives(),
    'sets:export': (req) => core.exports.start(req),
    'exports:cancel': (jobId) => Promise.resolve(core.exports.cancel(jobId)),
    'exports:active': () => Promise.resolve(core.exports.list()),
    'rotation:status': async (name) => {
      const e = core.profiles.get(name);
      if (!e) throw new ExpectedError('PROFILE_NOT_FOUND', `There is no profile "${name}".`, { step: 'app' });
      if (!e.profile.rotation) return null;
      return rotationStatus(e.profile, { drives: await core.listDrives(), now: core.now() });
    },
    'drives:eject': async (root) => {
      // Only a drive this computer lists: the renderer never names an arbitrary mount to unmount.
      if (!(await core.listDrives()).some((d) => d.root === root))
        throw new ExpectedError('NOT_A_DRIVE', `${root} is not a drive this computer lists.`, {
          step: 'app',
          fix: 'Choose a connected drive.',
        });
      return ejectDrive(root);
    },
    'drives:bind': async (folder) => {
      const drive = driveFor(folder, await core.listDrives());
      if (!drive)
        throw new ExpectedError('NOT_ON_A_DRIVE', `${folder} is not on a drive this computer lists.`, {
          fix: 'Choose a folder on a connected drive.',
          step: 'app',
        });
      return bindingFor(folder, drive, await ensureVolumeMarker(drive));
    },
    'destinations:inspect': async (path): Promise<DestinationInfo> => {
      const info: DestinationInfo = {
        path,
        exists: await stat(path).then(
          (s) => s.isDirectory(),
          () => false,
        ),
      };
      const at = await existingAncestor(path);
      if (at !== undefined) {
        const free = await freeBytes(at);
        if (free !== undefined) info.freeBytes = free;
      }
      const drive = driveFor(path, await core.listDrives().catch(() => []));
      if (drive) {
        info.drive = drive;
        if (drive.sizeBytes !== undefined) info.totalBytes = drive.sizeBytes;
      }
      return info;
    },
    'repository:scan': (path) => scanFolder(path),
    'discovery:test-database': async (req) =>
      core.discovery.testDatabase(
        req.config,
        await connectionSecrets(core, req, 'database'),
        AbortSignal.timeout(60_000),
      ),
    'discovery:list-databases': async (req) =>
      core.discovery.listDatabases(
        req.config,
        await connectionSecrets(core, req, 'database'),
        AbortSignal.timeout(60_000),
      ),
    'discovery:test-elasticsearch': async (req) =>
      core.discovery.testElasticsearch(
        req.config,
        await connectionSecrets(core, req, 'elasticsearch'),
        AbortSignal.timeout(60_000),
      ),
    'dialog:pick-folder': (options) => deps.dialogs.pickFolder(options),
    'dialog:pick-file': (options) => deps.dialogs.pickFile(options),
    'shell:open-path': async (path) => {
      const target = await openableSetPath(await core.profileFolders(), path);
      if (target.kind === 'file') {
        // Shown selected in its folder: a file is never opened (that would run it).
        deps.shell.showItemInFolder(target.path);
        return null;
      }
      const error = await deps.shell.openPath(target.path);
      if (error)
        throw new ExpectedError('OPEN_FAILED', `Cannot open ${target.path}: ${error}`, { step: 'app' });
      return null;
    },
  };
}
