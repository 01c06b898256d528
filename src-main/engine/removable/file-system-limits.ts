// What a file system allows per file, by the names Linux and Windows give it. FAT32 stores a file's
// size in 32 bits: 4 GiB - 1 byte is the largest file, whatever the free space.
export const FAT32_MAX_FILE_BYTES = 2 ** 32 - 1;

// Linux kernel and FUSE names (vfat, msdos, fusefat) and Windows' Get-Volume names (FAT32, FAT).
const FAT = new Set(['vfat', 'msdos', 'fat', 'fat32', 'fat16', 'fuse.fusefat', 'fusefat']);

/** The largest file the named file system holds, or undefined when it sets no limit we know of. */
export function maxFileBytes(fileSystem: string | undefined): number | undefined {
  if (fileSystem === undefined) return undefined;
  return FAT.has(fileSystem.toLowerCase()) ? FAT32_MAX_FILE_BYTES : undefined;
}

/** "FAT32" for the FAT family (the name admins know), else the name given. */
export function fileSystemName(fileSystem: string): string {
  return FAT.has(fileSystem.toLowerCase()) ? 'FAT32' : fileSystem;
}
