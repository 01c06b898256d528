// A backup set holds database dumps, the whole attachment repository and copies of Octane's
// config files (with their encrypted secrets): only the account that runs the backup may read
// it. POSIX modes given explicitly at creation, so the result does not depend on the umask of
// whoever started the run (cron, systemd, a shell). On Windows these modes are ignored: a set
// inherits the ACL of its destination folder (docs/security.md says which ACL to give it).

/** Folders of a set, the profile folder and any folder the tool creates on a destination. */
export const PRIVATE_DIR_MODE = 0o700;
/** Every file the tool writes into a set or a profile folder. */
export const PRIVATE_FILE_MODE = 0o600;
/**
 * A file a restore copies into a server's own folder (the SQL Server backup folder, the Data Pump
 * DIRECTORY, a folder under Elasticsearch's path.repo): the server runs as another account and
 * must read it, so it is readable by all; who may reach it is the job of that folder's permissions.
 */
export const STAGED_FILE_MODE = 0o644;
