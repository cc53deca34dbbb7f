"""Opening article files without following links or reading what is not a file.

The inbox is a folder others can write to: a link in it (`p.txt -> /etc/passwd`) must not make
the worker publish what the link points at, and a device or a FIFO (`/dev/zero`) must not be
read at all. Every file is checked with `lstat` before it is opened, opened with O_NOFOLLOW,
checked again on the open descriptor, and read no further than a size cap.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

# A file past this size is refused before a byte of it is read (GAZETTE_MAX_FILE_BYTES).
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024
_READ_CHUNK = 1024 * 1024


class FileRefused(ValueError):
    """A path that is not a regular file we may read, or is one past the size cap."""


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words."""
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISREG, "a regular file"),
    )
    return next((name for check, name in kinds if check(mode)), "not a file")


def check_regular(path: Path) -> os.stat_result:
    """The file's lstat; FileRefused when it is anything but a regular file."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise FileRefused("no such file or folder") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"not a regular file ({file_kind(info.st_mode)}): not read")
    return info


def read_regular_file(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file no larger than `max_bytes`; FileRefused otherwise.

    OSError for a file that vanished or is not readable.
    """
    before = check_regular(path)
    _refuse_size(before.st_size, max_bytes)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", None):
            raise FileRefused("not a regular file (a symbolic link): not read") from None
        raise
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        # Swapped for something else between the lstat and the open: judged again.
        after = os.fstat(handle.fileno())
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise FileRefused("the file changed while it was opened: not read")
        _refuse_size(after.st_size, max_bytes)
        # A file may hold more than its size says (/proc files say 0): the cap still holds.
        content = bytearray()
        while chunk := handle.read(min(_READ_CHUNK, max_bytes + 1 - len(content))):
            content += chunk
            if len(content) > max_bytes:
                _refuse_size(len(content), max_bytes)
        return bytes(content)


def find_files(path: Path, suffixes: frozenset[str]) -> Iterator[Path]:
    """`path` itself, or the files under a folder with one of `suffixes`, in name order.

    Links inside a folder are not followed into other folders; links to files are listed, so
    that the reader reports them instead of skipping them in silence.
    """
    if not path.is_dir():
        yield path
        return
    for folder, folders, names in os.walk(path, followlinks=False):
        folders.sort()
        for name in sorted(names):
            if Path(name).suffix.lower() in suffixes:
                yield Path(folder) / name


def _refuse_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileRefused(
            f"too large: {size} bytes, more than the {max_bytes} allowed "
            "(GAZETTE_MAX_FILE_BYTES): not read"
        )
