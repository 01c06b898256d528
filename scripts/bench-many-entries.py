# Writes archives of N empty files (1000 per folder, folders listed too) and their file list,
# streaming, for the memory figures of `npm run bench:restore` (BENCH_ENTRIES): a tar.gz (tarfile
# in stream mode) and a zip64 written record by record (only the offsets kept, 8 bytes an entry).
# Usage: python3 bench-many-entries.py <out-dir> <N>
import array, gzip, io, json, os, struct, sys, tarfile

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def entries():
    for i in range(n):
        if i % 100000 == 0:
            yield f"sharedspace_{i // 100000}", True
        if i % 1000 == 0:
            yield f"sharedspace_{i // 100000}/folder_{i // 1000}", True
        yield f"sharedspace_{i // 100000}/folder_{i // 1000}/attachment-{i}.txt", False


with open(os.path.join(out, "files.jsonl"), "w") as lst:
    for name, is_dir in entries():
        e = {"path": name, "type": "directory" if is_dir else "file", "size": 0,
             "mtime": "2024-01-01T00:00:00.000Z", "mode": "0755" if is_dir else "0644"}
        if not is_dir:
            e["sha256"] = EMPTY_SHA
        lst.write(json.dumps(e) + "\n")

with gzip.open(os.path.join(out, "many.tar.gz"), "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w|") as t:
    for name, is_dir in entries():
        ti = tarfile.TarInfo(name)
        ti.mtime = 1704067200
        if is_dir:
            ti.type, ti.mode = tarfile.DIRTYPE, 0o755
        t.addfile(ti, None if is_dir else io.BytesIO(b""))

offsets = array.array("Q")
with open(os.path.join(out, "many.zip"), "wb") as z:
    pos = 0
    for name, is_dir in entries():
        b = (name + "/" if is_dir else name).encode()
        offsets.append(pos)
        rec = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 0, 0, 0x2821, 0, 0, 0, len(b), 0) + b
        z.write(rec)
        pos += len(rec)
    cd_start = pos
    for k, (name, is_dir) in enumerate(entries()):
        b = (name + "/" if is_dir else name).encode()
        extra = struct.pack("<HHQ", 1, 8, offsets[k])
        mode = 0o040755 if is_dir else 0o100644
        rec = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 45, 0x800, 0, 0, 0x2821, 0, 0, 0,
                          len(b), len(extra), 0, 0, 0, mode << 16, 0xFFFFFFFF) + b + extra
        z.write(rec)
        pos += len(rec)
    count = len(offsets)
    z.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, pos - cd_start, cd_start))
    z.write(struct.pack("<IIQI", 0x07064B50, 0, pos, 1))
    z.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
