"""The uploaded files: every regular file under MEDIA_ROOT archived into an uncompressed tar (each
hashed as it is read), and extracted again beside their targets and renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from .database import BackupError

CHUNK = 1024 * 1024


def require_local_media_storage() -> None:
    """The files are archived from (and restored to) MEDIA_ROOT, so the default storage must be
    the local file system; with a bucket (KVSP_S3_BUCKET) they are not under MEDIA_ROOT at all."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(
            f"The uploaded files are not on this machine's file system (the default storage is "
            f"{type(storage).__module__}.{type(storage).__qualname__}), so they are not under MEDIA_ROOT "
            "and this command cannot back them up or restore them. Back up the bucket with the storage "
            "provider's own tools (versioning, replication, or e.g. `rclone sync` / `aws s3 sync`), at "
            "the same time as the database (`pg_dump`)."
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hands tarfile a file's bytes while hashing them: each file is read once."""

    def __init__(self, f):
        self._f = f
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self._f.read(size)
        self.digest.update(data)
        return data


def media_files(media_root: Path) -> list[Path]:
    """Every regular file under MEDIA_ROOT, sorted (symbolic links are not followed)."""
    if not media_root.exists():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def archive_media(media_root: Path, archive: Path) -> dict[str, dict]:
    files = {}
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in media_files(media_root):
            name = path.relative_to(media_root).as_posix()
            info = tar.gettarinfo(str(path), arcname=name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(path, "rb") as f:
                reader = _HashingReader(f)
                tar.addfile(info, reader)
            files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
    return files


def safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def extract_media(archive: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            if not member.isfile() or not safe_member_name(member.name):
                continue  # verify() has refused anything else
            target = media_root.joinpath(*PurePosixPath(member.name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            # Write beside the file and rename: a reader never sees half a file.
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
            try:
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                os.chmod(temporary, 0o644)
                os.utime(temporary, (member.mtime, member.mtime))
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
