// Trees whose names are bytes, not text: names that are not valid UTF-8 and paths longer than the
// kernel's PATH_MAX (4096 bytes), which no path-based call (and no Node fs call) can reach in one
// go. Created and read back by Python with directory descriptors (openat/fdopendir), so the
// comparison is independent of the product code and of path length.
import { execFileSync } from 'node:child_process';

export interface ByteEntry {
  /** Relative path, hex of its bytes ("/" between segments is 2f). */
  pathHex: string;
  type: 'file' | 'directory' | 'symlink';
  size?: number;
  sha256?: string;
  targetHex?: string;
  mtimeSec?: number;
}

const SNAPSHOT = String.raw`
import hashlib, json, os, stat, sys
out = []
def walk(fd, rel):
    for name in sorted(os.fsencode(n) for n in os.listdir(fd)):
        p = rel + b'/' + name if rel else name
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        e = {'pathHex': p.hex()}
        if stat.S_ISLNK(st.st_mode):
            e.update(type='symlink', targetHex=os.readlink(name, dir_fd=fd).hex())
        elif stat.S_ISDIR(st.st_mode):
            e['type'] = 'directory'
            out.append(e)
            sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            try: walk(sub, p)
            finally: os.close(sub)
            continue
        elif stat.S_ISREG(st.st_mode):
            h = hashlib.sha256()
            f = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
            try:
                while True:
                    b = os.read(f, 1 << 20)
                    if not b: break
                    h.update(b)
            finally: os.close(f)
            e.update(type='file', size=st.st_size, sha256=h.hexdigest(), mtimeSec=int(st.st_mtime))
        else:
            continue
        out.append(e)
root = os.open(sys.argv[1].encode(), os.O_RDONLY | os.O_DIRECTORY)
walk(root, b'')
print(json.dumps(out))
`;

/** Every entry under `root` by its exact bytes, in byte order, however long the paths. */
export function byteSnapshot(root: string): ByteEntry[] {
  return JSON.parse(
    execFileSync('python3', ['-c', SNAPSHOT, root], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
  ) as ByteEntry[];
}

const MAKE = String.raw`
import os, sys
root = sys.argv[1].encode()
os.makedirs(root, exist_ok=True)
fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
def write(dfd, name, data):
    f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=dfd)
    os.write(f, data); os.close(f)
# Names that are not valid UTF-8 (Latin-1 and stray bytes), a folder of them, and a link to one.
write(fd, b'caf\xe9.txt', b'latin-1 name\n')
os.mkdir(b'd\xff\xfeir', dir_fd=fd)
sub = os.open(b'd\xff\xfeir', os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
write(sub, b'inner \x80\x81.bin', os.urandom(5000))
os.symlink(b'../caf\xe9.txt', b'link \xe9', dir_fd=sub)
os.close(sub)
write(fd, 'valid ünïcødé.txt'.encode(), b'utf-8 name\n')
# A chain of folders whose path passes 5000 bytes, reached one level at a time.
d = os.dup(fd)
for i in range(int(sys.argv[2])):
    name = ('level-%03d-' % i).encode() + b'x' * 180
    os.mkdir(name, dir_fd=d)
    nd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=d)
    os.close(d); d = nd
write(d, b'deep file \xe9.txt', b'at the bottom of a very long path\n' * 100)
write(d, b'deep-big.bin', os.urandom(400000))
os.close(d)
os.close(fd)
`;

/** A tree with non-UTF-8 names and a path of about `levels` x 191 bytes (28 levels: > 5 KiB). */
export function makeByteTree(root: string, levels = 28): void {
  execFileSync('python3', ['-c', MAKE, root, String(levels)]);
}

/** Hex of a path given as text. */
export const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
