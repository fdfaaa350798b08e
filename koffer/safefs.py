"""Safe file I/O in directories the product did not create itself.

Files from outside (a USB stick, an export directory another user could
touch) are data, never paths to follow. Everything here works on a
directory opened once as a file descriptor and checked:

- the directory is opened with ``O_DIRECTORY | O_NOFOLLOW`` (a symbolic link
  in its place is refused) and must belong to the caller or to root, and must
  not be writable by group or others unless the sticky bit is set;
- files are created relative to that descriptor with
  ``O_CREAT | O_EXCL | O_NOFOLLOW`` under a fresh random temporary name, mode
  set before any byte is written, written, fsync'ed, then renamed inside the
  same directory (a planted ``name.tmp`` link is never opened; a planted link
  under the final name is replaced, not followed);
- files are read only if ``lstat`` says regular file, opened with
  ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO cannot block), checked again with
  ``fstat`` and read in bounded chunks up to a size limit.

Every refusal is an :class:`UnsafeFileError` (a :class:`StoreError`) with a
German message naming the file.
"""

from __future__ import annotations

import errno
import io
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from koffer.errors import StoreError

#: names this module creates or reads inside a directory: no separators, no
#: leading dot, nothing a shell or a path could misread
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
CHUNK = 1024 * 1024
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafeFileError(StoreError):
    """A file or directory is refused: a link, not a regular file, too large,
    owned by someone else, or writable by others."""


def shown(name: str) -> str:
    """A file name from outside, safe to print (control characters escaped)."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)
    return text if len(text) <= 120 else text[:117] + "…"


def _oserror(what: str, exc: OSError) -> UnsafeFileError:
    reason = exc.strerror or type(exc).__name__
    return UnsafeFileError(
        f"{what} ist nicht möglich ({reason}). Bitte prüfen Sie den Datenträger und die "
        "Zugriffsrechte.",
        message_en=f"{what}: {reason}.",
    )


def check_name(name: str) -> str:
    """``name`` if it is a plain file name this module may use, else a refusal."""
    if not _NAME.fullmatch(name):
        raise UnsafeFileError(
            f"Der Dateiname »{shown(name)}« ist nicht zulässig. Es werden nur einfache "
            "Namen aus Buchstaben, Ziffern, Punkt, Binde- und Unterstrich verwendet.",
            message_en=f"The file name {name!r} is not allowed.",
        )
    return name


class SafeDir:
    """A checked directory, held open as a descriptor. Use as a context manager."""

    def __init__(self, fd: int, label: str) -> None:
        self.fd = fd
        self.label = label

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: Path, *, create: bool = False, mode: int = 0o700, read_only: bool = False
    ) -> SafeDir:
        """Open ``path`` (the last component must not be a link); ``create``
        makes it (and missing parents) first, the last one with ``mode``.

        ``read_only``: the directory is only read from (its files are data,
        read with :meth:`read`), so owner and mode are not checked; a stick
        written on another machine carries foreign user ids."""
        label = str(path)
        if create:
            _make_dir(path, mode)
        fd = cls._open_dir(label, lambda: os.open(path, _DIR_FLAGS))
        return cls(fd, label) if read_only else cls._checked(fd, label)

    @classmethod
    def create_new(cls, path: Path, *, mode: int = 0o700) -> SafeDir:
        """A directory only the caller can use: created with ``mode``, or an
        existing one that is empty and owned by the caller (then set to ``mode``).
        Anything else is refused."""
        label = str(path)
        _make_dir(path, mode)
        fd = cls._open_dir(label, lambda: os.open(path, _DIR_FLAGS))
        try:
            st = os.fstat(fd)
            if st.st_uid != os.geteuid():
                raise UnsafeFileError(
                    f"Das Verzeichnis {shown(label)} gehört einem anderen Benutzer. Bitte "
                    "geben Sie ein neues Verzeichnis an; es wird dann nur für Sie lesbar "
                    "angelegt.",
                    message_en=f"The directory {label} belongs to another user.",
                )
            os.fchmod(fd, mode)
            if os.listdir(fd):
                raise UnsafeFileError(
                    f"Das Verzeichnis {shown(label)} ist nicht leer. Bitte geben Sie ein "
                    "neues oder leeres Verzeichnis an.",
                    message_en=f"The directory {label} is not empty.",
                )
        except OSError as exc:
            os.close(fd)
            raise _oserror(f"Das Prüfen des Verzeichnisses {shown(label)}", exc) from exc
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, label)

    def subdir(
        self, name: str, *, create: bool = False, mode: int = 0o700, read_only: bool = False
    ) -> SafeDir:
        """The checked sub-directory ``name`` (never through a link); ``read_only``
        as for :meth:`open`."""
        check_name(name)
        label = f"{self.label}/{name}"
        if create:
            try:
                os.mkdir(name, mode, dir_fd=self.fd)
            except FileExistsError:
                pass
            except OSError as exc:
                raise _oserror(f"Das Anlegen des Verzeichnisses {shown(label)}", exc) from exc
        fd = self._open_dir(label, lambda: os.open(name, _DIR_FLAGS, dir_fd=self.fd))
        return SafeDir(fd, label) if read_only else self._checked(fd, label)

    def has(self, name: str) -> bool:
        """Whether an entry ``name`` exists (a link counts; it is not followed)."""
        try:
            os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise _oserror(f"Das Prüfen von {shown(self.label)}/{shown(name)}", exc) from exc
        return True

    @staticmethod
    def _open_dir(label: str, opener: Callable[[], int]) -> int:
        try:
            fd = opener()
        except OSError as exc:
            if isinstance(exc, FileNotFoundError):
                raise UnsafeFileError(
                    f"Das Verzeichnis {shown(label)} gibt es nicht. Bitte prüfen Sie die Angabe.",
                    message_en=f"The directory {label} does not exist.",
                ) from exc
            if isinstance(exc, NotADirectoryError) or exc.errno == errno.ELOOP:
                raise UnsafeFileError(
                    f"{shown(label)} ist kein Verzeichnis, sondern eine Verknüpfung oder "
                    "Datei. Aus Sicherheitsgründen wird Verknüpfungen nicht gefolgt; bitte "
                    "geben Sie das Verzeichnis selbst an.",
                    message_en=f"{label} is a link or a file, not a directory.",
                ) from exc
            raise _oserror(f"Das Öffnen des Verzeichnisses {shown(label)}", exc) from exc
        return fd

    @classmethod
    def _checked(cls, fd: int, label: str) -> SafeDir:
        try:
            st = os.fstat(fd)
        except OSError as exc:
            os.close(fd)
            raise _oserror(f"Das Prüfen des Verzeichnisses {shown(label)}", exc) from exc
        problem = None
        if st.st_uid not in (os.geteuid(), 0):
            problem = "gehört einem anderen Benutzer"
        elif st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not st.st_mode & stat.S_ISVTX:
            problem = "ist für andere Benutzer beschreibbar"
        if problem is not None:
            os.close(fd)
            raise UnsafeFileError(
                f"Das Verzeichnis {shown(label)} {problem}. Aus Sicherheitsgründen wird "
                "dort nichts geschrieben. Bitte verwenden Sie ein eigenes Verzeichnis, "
                "übernehmen Sie es (chown) oder entziehen Sie anderen die Schreibrechte "
                "(chmod go-w).",
                message_en=f"The directory {label} is not safe to use.",
            )
        return cls(fd, label)

    # ------------------------------------------------------------ contents

    def names(self) -> list[str]:
        """The entry names, sorted (as data: nothing is opened or followed)."""
        try:
            return sorted(os.listdir(self.fd))
        except OSError as exc:
            raise _oserror(f"Das Lesen des Verzeichnisses {shown(self.label)}", exc) from exc

    def read(self, name: str, limit: int) -> bytes:
        """The content of the regular file ``name``, at most ``limit`` bytes.

        Links, FIFOs, devices and directories are refused without being read;
        a larger file is refused without being held in memory."""
        label = f"{self.label}/{shown(name)}"
        try:
            st = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except OSError as exc:
            raise _oserror(f"Das Lesen von {label}", exc) from exc
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(label, st.st_mode)
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.fd)
        except OSError as exc:
            raise _oserror(f"Das Lesen von {label}", exc) from exc
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise _not_regular(label, st.st_mode)
            if st.st_size > limit:
                raise _too_large(label, limit)
            buffer = io.BytesIO()
            total = 0
            while True:
                chunk = os.read(fd, min(CHUNK, limit + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise _too_large(label, limit)
                buffer.write(chunk)
            return buffer.getvalue()
        except OSError as exc:
            raise _oserror(f"Das Lesen von {label}", exc) from exc
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes, *, mode: int = 0o600, replace: bool = True) -> None:
        """Atomically (re)place ``name`` with ``data``: new random temp file with
        ``O_EXCL | O_NOFOLLOW`` and ``mode`` from creation (less under a stricter
        umask), fsync, rename in this directory.
        With ``replace=False`` an existing entry ``name`` is refused (use it only in
        a directory no one else can write to)."""
        check_name(name)
        label = f"{self.label}/{name}"
        if not replace and self.has(name):
            raise UnsafeFileError(
                f"{shown(label)} gibt es schon; die Datei wird nicht überschrieben. Bitte "
                "prüfen Sie das Verzeichnis.",
                message_en=f"{label} exists already and is not overwritten.",
            )
        tmp = self._create_tmp(name, mode, label)
        try:
            fd = tmp[1]
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view[:CHUNK])
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.rename(tmp[0], name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError as exc:
            self._discard(tmp[0])
            raise _oserror(f"Das Schreiben von {shown(label)}", exc) from exc
        except BaseException:
            self._discard(tmp[0])
            raise

    def _create_tmp(self, name: str, mode: int, label: str) -> tuple[str, int]:
        for _ in range(16):
            tmp = f".{name}.{secrets.token_hex(8)}.tmp"
            try:
                return tmp, os.open(tmp, _CREATE_FLAGS, mode, dir_fd=self.fd)
            except FileExistsError:
                continue
            except OSError as exc:
                raise _oserror(f"Das Schreiben von {shown(label)}", exc) from exc
        raise UnsafeFileError(
            f"Für {shown(label)} lässt sich keine neue Datei anlegen. Bitte prüfen Sie das "
            "Verzeichnis auf fremde Dateien.",
            message_en=f"No new file can be created for {label}.",
        )

    def _discard(self, tmp: str) -> None:
        try:
            os.unlink(tmp, dir_fd=self.fd)
        except OSError:
            pass

    def sync(self) -> None:
        """fsync the directory, so renames inside it are durable."""
        try:
            os.fsync(self.fd)
        except OSError as exc:
            raise _oserror(f"Das Sichern des Verzeichnisses {shown(self.label)}", exc) from exc

    # ------------------------------------------------------------ lifetime

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> SafeDir:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _make_dir(path: Path, mode: int) -> None:
    """``path`` with missing parents; the last one with ``mode`` if it is new."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, mode)
    except FileExistsError:
        pass
    except OSError as exc:
        raise _oserror(f"Das Anlegen des Verzeichnisses {shown(str(path))}", exc) from exc


def write_file(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write one file ``path`` safely; its directory is created (0700) if missing."""
    with SafeDir.open(path.parent, create=True) as folder:
        folder.write(path.name, data, mode=mode)


def _not_regular(label: str, mode: int) -> UnsafeFileError:
    if stat.S_ISLNK(mode):
        kind = "eine Verknüpfung"
    elif stat.S_ISDIR(mode):
        kind = "ein Verzeichnis"
    elif stat.S_ISFIFO(mode):
        kind = "eine benannte Pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "eine Gerätedatei"
    else:
        kind = "keine gewöhnliche Datei"
    return UnsafeFileError(
        f"{label} ist {kind} und wird aus Sicherheitsgründen nicht gelesen. Bitte legen "
        "Sie nur die Dateien selbst auf den Datenträger.",
        message_en=f"{label} is not a regular file and is not read.",
    )


def _too_large(label: str, limit: int) -> UnsafeFileError:
    mib = limit / (1024 * 1024)
    return UnsafeFileError(
        f"{label} ist größer als {mib:g} MiB und wird nicht gelesen. Bitte prüfen Sie, ob "
        "die Datei wirklich vom Koffer stammt.",
        message_en=f"{label} is larger than {mib:g} MiB and is not read.",
    )
