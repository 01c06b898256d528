// The journal of the snapshots this tool made: every snapshot is written here BEFORE it is used
// (btrfs and LVM: before it is even created, their names being known in advance; VSS: the moment
// Windows returns its ID), and removed from here after it is deleted. A run that crashed leaves
// its snapshot in the journal, and the next run of the profile deletes it. Only snapshots named
// here are ever deleted: never anyone else's shadow copies.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../../backup-set/private-modes.js';

export const JOURNAL_FILE = '.octane-backup-snapshots.json';

export type JournalEntry =
  | { method: 'btrfs'; id: string; path: string; setName: string; createdAt: string }
  | {
      method: 'vss';
      id: string;
      device?: string;
      volume: string;
      link?: string;
      setName: string;
      createdAt: string;
    }
  | {
      method: 'lvm';
      id: string;
      vg: string;
      lv: string;
      mountDir: string;
      setName: string;
      createdAt: string;
    };

export class SnapshotJournal {
  constructor(readonly file: string) {}

  /** The journal of a profile: in its folder on the repository's destination, under the profile lock. */
  static inProfileFolder(profileFolder: string): SnapshotJournal {
    return new SnapshotJournal(join(profileFolder, JOURNAL_FILE));
  }

  async entries(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? (parsed.filter(isEntry) as JournalEntry[]) : [];
    } catch {
      return [];
    }
  }

  async add(entry: JournalEntry): Promise<void> {
    const all = (await this.entries()).filter((e) => e.id !== entry.id);
    await this.save([...all, entry]);
  }

  async remove(id: string): Promise<void> {
    await this.save((await this.entries()).filter((e) => e.id !== id));
  }

  /** Written whole, fsynced and renamed into place: a crash leaves the old journal or the new. */
  private async save(entries: JournalEntry[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(entries, null, 2) + '\n', { mode: PRIVATE_FILE_MODE, flush: true });
    await rename(tmp, this.file);
  }
}

function isEntry(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    e.id !== '' &&
    (e.method === 'btrfs' ? typeof e.path === 'string' : e.method === 'vss' || e.method === 'lvm')
  );
}
