// Win32_ShadowCopy.Create's return values (learn.microsoft.com, "Create method of the
// Win32_ShadowCopy class"), each with what it means for the admin and the fix. 9 and 12 are
// retried (Kopia and go-vss do the same): another backup tool or Windows itself may hold VSS for a
// few seconds.
export interface VssCode {
  code: string;
  what: string;
  fix: string;
  retry?: boolean;
}

const ELEVATE =
  'Run the backup elevated: the scheduled task this tool installs runs "with highest privileges"; from a console, start it with "Run as administrator". Or use repository.capture "bracketed", which needs no rights.';

export const VSS_CODES: Record<number, VssCode> = {
  1: { code: 'VSS_ACCESS_DENIED', what: 'access denied', fix: ELEVATE },
  2: {
    code: 'VSS_INVALID_ARGUMENT',
    what: 'invalid argument',
    fix: 'Check that repository.path is a folder on a local NTFS volume.',
  },
  3: {
    code: 'VSS_VOLUME_NOT_FOUND',
    what: 'the volume was not found',
    fix: 'Check that repository.path is on a local volume that is mounted.',
  },
  4: {
    code: 'VSS_VOLUME_NOT_SUPPORTED',
    what: 'the volume does not support shadow copies',
    fix: 'Shadow copies need an NTFS (or ReFS) volume; use repository.capture "bracketed" for this folder.',
  },
  5: {
    code: 'VSS_CONTEXT_NOT_SUPPORTED',
    what: 'the shadow copy context is not supported',
    fix: 'This Windows edition does not offer client-accessible shadow copies; use repository.capture "bracketed".',
  },
  6: {
    code: 'VSS_INSUFFICIENT_STORAGE',
    what: 'not enough shadow copy storage',
    fix: 'Give shadow copies more room on that volume (System Properties > System Protection > Configure, or `vssadmin resize shadowstorage /for=C: /on=C: /maxsize=10%`) or free disk space, then run again.',
  },
  7: {
    code: 'VSS_VOLUME_IN_USE',
    what: 'the volume is in use',
    fix: 'Run the backup again later; if it persists, restart the "Volume Shadow Copy" service.',
  },
  8: {
    code: 'VSS_MAX_SHADOW_COPIES',
    what: 'the maximum number of shadow copies of the volume is reached',
    fix: 'Delete old shadow copies of that volume (System Protection, or `vssadmin delete shadows /for=C: /oldest`), then run again.',
  },
  9: {
    code: 'VSS_IN_PROGRESS',
    what: 'another shadow copy operation is already in progress',
    fix: 'Another backup program (or Windows itself) was making a shadow copy for longer than this tool waited. Move one of the two schedules, then run again.',
    retry: true,
  },
  10: {
    code: 'VSS_PROVIDER_VETO',
    what: 'the shadow copy provider vetoed the operation',
    fix: 'Look in the Application event log (source VSS) for the reason; often the volume is too busy or another writer failed. Run again later.',
  },
  11: {
    code: 'VSS_PROVIDER_NOT_REGISTERED',
    what: 'the shadow copy provider is not registered',
    fix: 'Check `vssadmin list providers`; a third-party provider may have been removed incompletely.',
  },
  12: {
    code: 'VSS_PROVIDER_FAILURE',
    what: 'the shadow copy provider failed',
    fix: 'Look in the Application event log (source VSS or volsnap); restart the "Volume Shadow Copy" service, check `vssadmin list writers` for failed writers, then run again.',
    retry: true,
  },
  13: {
    code: 'VSS_UNKNOWN_ERROR',
    what: 'an unknown error',
    fix: 'Look in the Application event log (source VSS) for the reason, then run again.',
  },
};
