import functools
import io

import pytest

from shelter.crypto.stream import CHUNK, TAG
from shelter.exchange import archive

PASSPHRASE = "a long enough passphrase"


def make_archive(entries=None) -> bytes:
    return write(entries) if entries else default_archive()


@functools.cache
def default_archive() -> bytes:
    return write(
        [
        archive.bytes_entry(archive.MANIFEST_NAME, archive.make_manifest(counts={})),
            archive.bytes_entry("evidence/blob.bin", bytes(range(256)) * 1000),  # several chunks
        ]
    )


def write(entries) -> bytes:
    out = io.BytesIO()
    archive.write_archive(out, PASSPHRASE, entries)
    return out.getvalue()


def read_all(data: bytes, passphrase=PASSPHRASE) -> dict[str, bytes]:
    return {name: member.read() for name, member in archive.read_archive(io.BytesIO(data), passphrase)}


def test_it_round_trips_entries_in_order():
    contents = read_all(make_archive())
    assert list(contents) == [archive.MANIFEST_NAME, "evidence/blob.bin"]
    assert contents["evidence/blob.bin"] == bytes(range(256)) * 1000
    assert archive.parse_manifest(contents[archive.MANIFEST_NAME])["version"] == archive.MANIFEST_VERSION


def test_it_streams_files_from_disk(tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"x" * (3 * CHUNK + 5))
    contents = read_all(make_archive([archive.file_entry("evidence/blob.bin", blob)]))
    assert contents["evidence/blob.bin"] == b"x" * (3 * CHUNK + 5)


def test_nothing_readable_is_left_in_the_file():
    data = make_archive([archive.bytes_entry("secret.json", "Улугбек Каримов".encode() * 10)])
    assert "Улугбек".encode() not in data
    assert b"secret.json" not in data


def test_a_wrong_passphrase_is_named_as_such():
    with pytest.raises(archive.WrongPassphrase):
        read_all(make_archive(), "not the right passphrase")


@pytest.mark.parametrize("cut", [1, TAG, CHUNK + TAG, 2 * (CHUNK + TAG)])
def test_a_truncated_archive_is_detected(cut):
    data = make_archive()
    with pytest.raises(archive.CorruptArchive):
        read_all(data[:-cut])


def test_an_archive_cut_at_a_chunk_boundary_is_detected():
    data = make_archive()
    body_start = archive.HEADER.size + len(b"SHLS1") + 7
    boundary = body_start + 2 * (CHUNK + TAG)
    assert boundary < len(data)
    with pytest.raises(archive.CorruptArchive):
        read_all(data[:boundary])


@pytest.mark.parametrize("position", [archive.HEADER.size + 20, -5])
def test_a_flipped_bit_in_the_body_is_detected(position):
    data = bytearray(make_archive())
    data[position] ^= 0x01
    with pytest.raises(archive.CorruptArchive):
        read_all(bytes(data))


def test_a_changed_header_is_detected():
    data = bytearray(make_archive())
    data[archive.HEADER.size - 1] ^= 0x01  # the passphrase check
    with pytest.raises(archive.ArchiveError):
        read_all(bytes(data))


def test_a_header_asking_for_absurd_key_derivation_costs_is_refused():
    data = bytearray(make_archive())
    data[len(archive.MAGIC) + 1] = 40  # log2(N)
    with pytest.raises(archive.CorruptArchive, match="out of range"):
        read_all(bytes(data))


def test_other_files_are_not_archives():
    with pytest.raises(archive.ArchiveError, match="not a Shelter backup archive"):
        read_all(b"PK\x03\x04 a zip file")


def test_short_passphrases_are_refused():
    with pytest.raises(archive.ArchiveError, match="at least 12 characters"):
        archive.write_archive(io.BytesIO(), "short", [])


def test_manifests_of_another_version_are_refused():
    with pytest.raises(archive.ArchiveError, match="version 99 is not supported"):
        archive.parse_manifest(b'{"format": "shelter-backup", "version": 99}')
    with pytest.raises(archive.ArchiveError, match="no Shelter backup manifest"):
        archive.parse_manifest(b'{"format": "something-else", "version": 1}')


def test_the_generator_reader_returns_full_reads():
    reader = archive.GeneratorReader([b"ab", b"c", b"", b"defg"])
    assert reader.read(3) == b"abc"
    assert reader.read(10) == b"defg"
    assert reader.read(10) == b""
