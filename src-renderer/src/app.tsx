import {
  Button,
  FluentProvider,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { OctaneApi } from '@contract/ipc.js';
import type { ErrorInfo } from '@contract/errors.js';
import { ApiProvider, call, useApi } from './api/api-context.js';
import { errorInfo } from './api/api-error.js';
import { ErrorBar } from './components/error-bar.js';
import { DatabaseRegular, HistoryRegular, HomeRegular, PlayRegular } from './icons.js';
import { HistoryScreen } from './screens/history/history-screen.js';
import { OverviewScreen } from './screens/overview/overview-screen.js';
import { DraftsProvider, useDrafts } from './screens/profiles/drafts-context.js';
import { ProfilesScreen } from './screens/profiles/profiles-screen.js';
import { RunScreen } from './screens/run/run-screen.js';
import { RestoreProvider } from './state/restore-context.js';
import { SETUP_DRAFT_KEY, SetupWizard } from './screens/setup/setup-wizard.js';
import { RunsProvider } from './state/runs-context.js';
import { useAsync } from './state/use-async.js';

export type Screen = 'overview' | 'profiles' | 'run' | 'history' | 'setup';

const useStyles = makeStyles({
  shell: {
    display: 'grid',
    // Narrower in a 1024 px window, so the forms keep their width.
    gridTemplateColumns: 'clamp(150px, 16vw, 200px) minmax(0, 1fr)',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  nav: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingVerticalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { display: 'flex', flexDirection: 'column' },
  // No top padding: the profile editor's sticky action bar must sit flush with the top edge.
  main: { overflowY: 'auto', padding: `0 ${tokens.spacingHorizontalXXL}` },
  version: { marginTop: 'auto', color: tokens.colorNeutralForeground3 },
});

function Shell({ initial }: { initial?: Screen }) {
  const api = useApi();
  const s = useStyles();
  const { dirty } = useDrafts();
  const unsaved = dirty.size > 0;
  // The wizard's own draft is not a profile form's: the Profiles tab speaks of those only.
  const unsavedProfile = [...dirty].some((k) => k !== SETUP_DRAFT_KEY);
  // Closing the window with unsaved edits is held; Electron's main asks the admin (will-prevent-unload).
  useEffect(() => {
    if (!unsaved) return undefined;
    const hold = (e: BeforeUnloadEvent): void => e.preventDefault();
    window.addEventListener('beforeunload', hold);
    return () => window.removeEventListener('beforeunload', hold);
  }, [unsaved]);
  const [screen, setScreen] = useState<Screen>(initial ?? 'overview');
  const [selected, setSelected] = useState<string | undefined>();
  const [logError, setLogError] = useState<ErrorInfo | undefined>();
  const profiles = useAsync(() => call(api, 'profiles:list'), 'profiles');
  const info = useAsync(() => call(api, 'app:info'), 'info');
  const go = (next: Screen, profile?: string): void => {
    if (profile !== undefined) setSelected(profile);
    setScreen(next);
  };
  const list = profiles.value ?? [];
  return (
    <div className={s.shell}>
      <nav className={s.nav} aria-label="Main">
        <div className={s.brand}>
          <Text weight="bold" size={400}>
            Octane Backup
          </Text>
          <Text size={200}>database · Elasticsearch · repository</Text>
        </div>
        <TabList vertical selectedValue={screen} onTabSelect={(_e, d) => setScreen(d.value as Screen)}>
          <Tab value="overview" icon={<HomeRegular />}>
            Overview
          </Tab>
          {/* Edits are kept while the admin looks elsewhere; the tab says so. */}
          <Tab
            value="profiles"
            icon={<DatabaseRegular />}
            aria-label={unsavedProfile ? 'Profiles, unsaved changes' : undefined}
          >
            {unsavedProfile ? 'Profiles •' : 'Profiles'}
          </Tab>
          <Tab value="run" icon={<PlayRegular />}>
            Run
          </Tab>
          <Tab value="history" icon={<HistoryRegular />}>
            History
          </Tab>
        </TabList>
        {info.value ? (
          <Button
            appearance="subtle"
            size="small"
            className={s.version}
            onClick={() =>
              void call(api, 'app:open-log-folder').then(
                () => setLogError(undefined),
                (err: unknown) => setLogError(errorInfo(err)),
              )
            }
          >
            Open log folder
          </Button>
        ) : null}
        {info.value ? (
          <Text size={200}>
            Version {info.value.version}
            {info.value.secretsAvailable ? '' : ' — no secure password store on this computer'}
          </Text>
        ) : null}
      </nav>
      <main className={s.main}>
        {profiles.error ? <ErrorBar error={profiles.error} /> : null}
        {logError ? <ErrorBar error={logError} title="The log folder cannot be opened" /> : null}
        {screen === 'overview' ? (
          <OverviewScreen
            onRun={(p) => go('run', p)}
            onHistory={(p) => go('history', p)}
            onNewProfile={() => go('profiles')}
            onSetup={() => go('setup')}
          />
        ) : null}
        {screen === 'profiles' ? (
          <ProfilesScreen
            profiles={profiles.value}
            loading={profiles.loading}
            error={profiles.error}
            selected={selected}
            onSelect={setSelected}
            onChanged={profiles.reload}
          />
        ) : null}
        {screen === 'setup' ? (
          <SetupWizard
            onDone={(rec, backUpNow) => {
              profiles.reload();
              go(backUpNow ? 'run' : 'overview', rec.profile.profile);
            }}
          />
        ) : null}
        {screen === 'run' ? <RunScreen profiles={list} selected={selected} onSelect={setSelected} /> : null}
        {screen === 'history' ? (
          <HistoryScreen profiles={list} selected={selected} onSelect={setSelected} />
        ) : null}
      </main>
    </div>
  );
}

const DARK = '(prefers-color-scheme: dark)';

/** Light or dark as Windows is set (Settings → Personalisation → Colours), following changes live. */
function useSystemDark(): boolean {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const q = window.matchMedia(DARK);
    const follow = (): void => setDark(q.matches);
    q.addEventListener('change', follow);
    return () => q.removeEventListener('change', follow);
  }, []);
  return dark;
}

export function App({ api, initial }: { api: OctaneApi; initial?: Screen }) {
  const dark = useSystemDark();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <ApiProvider api={api}>
        <RunsProvider>
          <RestoreProvider>
            <DraftsProvider>
              <Shell initial={initial} />
            </DraftsProvider>
          </RestoreProvider>
        </RunsProvider>
      </ApiProvider>
    </FluentProvider>
  );
}
