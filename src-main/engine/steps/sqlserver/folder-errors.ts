// Operating-system errors SQL Server reports when it cannot write the backup file (3201/3202),
// turned into what the admin must change on the SQL Server host or share.

/** "Operating system error 5(Access is denied.)" → 5 */
export function osError(text: string): number | undefined {
  const m = /Operating system error (\d+)|failed: (\d+)\(/i.exec(text);
  const n = m?.[1] ?? m?.[2];
  return n === undefined ? undefined : Number(n);
}

/** The failure's code, what happened and the fix, for the folder as the SQL Server host sees it. */
export function folderFix(
  ctx: { serverDir?: string },
  os: number | undefined,
): { code: string; what: string; fix: string } {
  const dir = ctx.serverDir ?? 'the backup folder';
  const unc = dir.startsWith('\\\\');
  switch (os) {
    case 5:
      return {
        code: 'SQLSERVER_BACKUP_DIR_ACCESS_DENIED',
        what: `the SQL Server service account may not write to ${dir} (operating system error 5, access denied)`,
        fix: unc
          ? `Give the account SQL Server runs as write access to the share and folder ${dir}. A service running as a virtual account (NT Service\\MSSQLSERVER) or Local System reaches shares as the server's computer account (DOMAIN\\HOSTNAME$): grant that account, or run SQL Server as a domain account that has access.`
          : `On the SQL Server host, give the SQL Server service account write (Modify) access to ${dir}: for a default instance it is NT Service\\MSSQLSERVER, for a named instance NT Service\\MSSQL$<instance name> (SQL Server Configuration Manager shows it).`,
      };
    case 2:
    case 3:
      return {
        code: 'SQLSERVER_BACKUP_DIR_NOT_FOUND',
        what: `the folder ${dir} does not exist as the SQL Server host sees it (operating system error ${os})`,
        fix: `Create ${dir} on the SQL Server host, or use a UNC path (\\\\server\\share\\folder). The path is opened by the SQL Server service on its own host: this PC's folders and mapped drive letters are invisible to it.`,
      };
    case 53:
    case 67:
    case 1326:
    case 1203:
    case 64:
      return {
        code: 'SQLSERVER_BACKUP_SHARE_UNREACHABLE',
        what: `the SQL Server service cannot reach the share ${dir} (operating system error ${os})`,
        fix: 'Check the share name and that the SQL Server host can reach it. The service needs a domain account (or the computer account DOMAIN\\HOSTNAME$) with access to the share: mapped drives and your own logon do not count.',
      };
    case 112:
      return {
        code: 'SQLSERVER_BACKUP_DIR_FULL',
        what: `the disk holding ${dir} is full (operating system error 112)`,
        fix: `Free space where ${dir} lives on the SQL Server host, or point serverBackupDir to a larger disk.`,
      };
    default:
      return {
        code: 'SQLSERVER_BACKUP_DEVICE_ERROR',
        what: `SQL Server could not write the backup file in ${dir}${os !== undefined ? ` (operating system error ${os})` : ''}`,
        fix: `Check ${dir} on the SQL Server host: it must exist, have free space, and be writable by the SQL Server service account.`,
      };
  }
}
