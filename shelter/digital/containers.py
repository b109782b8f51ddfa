"""What an archive or a disk image holds, listed from its headers and never unpacked: zip (the standard
library), 7z (py7zr), RAR (rarfile, which lists without the unrar program) and ISO 9660/UDF images
(pycdlib) — the containers phishing uses to get a program past mail filters and Windows' warnings.
A listing says whether the contents, or even their names, are locked by a password."""

import io
import zipfile
from dataclasses import dataclass, field


@dataclass
class Listing:
    names: list[str] = field(default_factory=list)
    locked: bool = False  # some contents need a password
    names_locked: bool = False  # even the names do
    more: int = 0  # names left out over the limit


def _capped(names, limit: int) -> Listing:
    listing = Listing()
    for name in names:
        if len(listing.names) < limit:
            listing.names.append(name)
        else:
            listing.more += 1
    return listing


def zip_listing(data: bytes, limit: int) -> tuple[Listing, zipfile.ZipFile] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    listing = _capped((m.filename for m in members), limit)
    listing.locked = any(m.flag_bits & 0x1 for m in members)
    return listing, archive


def sevenzip_listing(data: bytes, limit: int) -> Listing | None:
    import py7zr

    try:
        with py7zr.SevenZipFile(io.BytesIO(data)) as archive:
            listing = _capped(archive.getnames(), limit)
            listing.locked = archive.needs_password()
            return listing
    except py7zr.PasswordRequired:
        return Listing(locked=True, names_locked=True)
    except Exception:  # noqa: BLE001 — py7zr raises many kinds on a damaged or hostile archive
        return None


def rar_listing(data: bytes, limit: int) -> Listing | None:
    import rarfile

    # rarfile lists a RAR by itself, but would unpack an old-style compressed comment by writing it to a
    # temporary file and running the unrar program on it: a listing needs no comment.
    rarfile.rar3_decompress = lambda *args, **kwargs: b""
    try:
        archive = rarfile.RarFile(io.BytesIO(data))
        members = archive.infolist()
    except rarfile.PasswordRequired:
        return Listing(locked=True, names_locked=True)
    except Exception:  # noqa: BLE001 — a damaged archive, or one whose comment needs the unrar program
        return None
    if not members and archive.needs_password():
        return Listing(locked=True, names_locked=True)  # headers encrypted: not even the names are readable
    listing = _capped((m.filename for m in members), limit)
    listing.locked = archive.needs_password() or any(m.needs_password() for m in members)
    return listing


def disk_image_listing(data: bytes, limit: int) -> Listing | None:
    """The files of an ISO 9660 image (with UDF, Joliet or Rock Ridge names where present); None for
    another kind of image (a FAT or NTFS .img or .vhd), whose contents are not listed here."""
    import pycdlib

    image = pycdlib.PyCdlib()
    try:
        image.open_fp(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — not ISO 9660
        return None
    try:
        if image.has_udf():
            walk, strip = image.walk(udf_path="/"), False
        elif image.has_joliet():
            walk, strip = image.walk(joliet_path="/"), False
        elif image.has_rock_ridge():
            walk, strip = image.walk(rr_path="/"), False
        else:
            walk, strip = image.walk(iso_path="/"), True
        names = []
        for path, _, files in walk:
            for name in files:
                names.append(f"{path.rstrip('/')}/{name.split(';')[0] if strip else name}".lstrip("/"))
            if len(names) > limit:
                break
        return _capped(names, limit)
    except Exception:  # noqa: BLE001 — a damaged directory tree: nothing listed
        return None
    finally:
        image.close()
