import base64
import io
import stat

import pytest
from django.core.management import CommandError, call_command

from shelter.audit.models import AuditEvent
from shelter.crypto import aead, keys
from shelter.records import sealing
from shelter.records.evidence import open_evidence
from shelter.records.models import Case, KeyMaterial, Person
from shelter.screening.search import find_persons
from tests.conftest import PDF_BYTES


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    """A key file of this test's own: rotation must not change the key of the whole test session."""
    settings.SHELTER_MASTER_KEY_FILE = tmp_path / "home" / "master.key"
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.SHELTER_MASTER_KEY_FILE


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    options = {"stdin": stdin} if stdin is not None else {}
    call_command("keys", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def rotate(*args):
    return run("rotate", *args)


def file_key(path) -> bytes:
    return base64.b64decode(path.read_text())


def all_wrapped():
    """(wrapped key, label) of every case and instance key in the database."""
    cases = [(bytes(w), sealing.case_label(pk)) for pk, w in Case.objects.exclude(wrapped_key=None).values_list("pk", "wrapped_key")]
    return cases + [(bytes(w), name) for name, w in KeyMaterial.objects.values_list("pk", "wrapped")]


def opens(master_key, wrapped, label) -> bool:
    try:
        keys.unwrap(master_key, wrapped, label)
        return True
    except aead.DecryptionError:
        return False


def read_back(records):
    """Everything a fresh process would read: a sealed field, a name through the blind index, a file."""
    with sealing.scope():
        person = Person.objects.get(pk=records["person"].pk)
        found = list(find_persons(Person.objects.all(), "karimov"))
        blob = open_evidence(records["evidence"])
        return person.birth_date, person.primary_name(), found, blob


# rotate


def test_data_written_before_rotation_reads_after_it(records):
    before = read_back(records)
    rotate()
    assert read_back(records) == before == ("1979-08", "Улугбек Каримов", [records["person"]], PDF_BYTES)


@pytest.mark.attack("keys")
def test_rotation_leaves_no_key_under_the_old_master_key(records, key_file):
    old = file_key(key_file)
    assert all(opens(old, w, label) for w, label in all_wrapped())
    rotate()
    new = file_key(key_file)
    assert new != old
    wrapped = all_wrapped()
    assert len(wrapped) >= 2  # the case key and the blind-index key
    assert not any(opens(old, w, label) for w, label in wrapped)
    assert all(opens(new, w, label) for w, label in wrapped)


def test_a_running_process_notices_the_new_key_file(records, key_file):
    cached = sealing.master_key()
    rotate()
    assert sealing.master_key() != cached
    assert sealing.master_key() == file_key(key_file)


def test_a_case_row_read_before_the_rotation_still_opens_after_it(records):
    """A request that loaded a case just before the rotation committed re-reads its key once."""
    stale = Case.objects.get(pk=records["case"].pk)
    rotate()
    with sealing.scope():
        assert stale.sealing_key() == keys.unwrap(
            sealing.master_key(), bytes(Case.objects.get(pk=stale.pk).wrapped_key), sealing.case_label(stale.pk)
        )


@pytest.mark.attack("keys")
def test_a_process_with_a_wrong_key_fails_clearly(records, key_file):
    key_file.write_text(base64.b64encode(aead.new_key()).decode())
    with sealing.scope(), pytest.raises(keys.MasterKeyError, match="does not open this case's key"):
        Person.objects.get(pk=records["person"].pk).birth_date


def test_the_previous_key_is_kept_readable_by_its_owner_only(records, key_file):
    old = file_key(key_file)
    out, _err = rotate()
    previous = list(key_file.parent.glob("master.key.previous-*"))
    assert len(previous) == 1
    assert file_key(previous[0]) == old
    assert stat.S_IMODE(previous[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(previous[0]) in out and "delete it" in out
    assert not key_file.with_name("master.key.new").exists()


def test_rotating_twice_keeps_both_previous_keys(records, key_file):
    rotate()
    rotate()
    assert len(list(key_file.parent.glob("master.key.previous-*"))) == 2
    assert read_back(records)[0] == "1979-08"


def test_an_erased_case_stays_erased(records, key_file):
    erased = Case.objects.create(title="Closed")
    erased.erase()
    rotate()
    assert Case.objects.get(pk=erased.pk).wrapped_key is None
    assert read_back(records)[0] == "1979-08"


def test_rotation_is_audited_without_the_key(records, key_file):
    rotate()
    new = file_key(key_file)
    event = AuditEvent.objects.get(object_type="master_key", action="update")
    assert event.actor_name == "cli"
    assert event.object_id == keys.fingerprint(new)
    assert event.detail["case_keys"] == 1
    assert base64.b64encode(new).decode() not in str(event.detail)


@pytest.mark.attack("keys")
def test_a_key_that_does_not_fit_the_database_changes_nothing(records, key_file):
    stored = all_wrapped()
    key_file.write_text(base64.b64encode(aead.new_key()).decode())  # the wrong key
    with pytest.raises(CommandError, match="does not open under the current master key"):
        rotate()
    assert all_wrapped() == stored
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["master.key"]


def test_a_missing_key_file_is_refused(db, key_file):
    with pytest.raises(CommandError, match="no master key to rotate"):
        rotate()
    assert not key_file.exists()


def test_a_malformed_key_file_is_refused(db, key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not base64 at all!")
    with pytest.raises(CommandError, match="not valid base64"):
        rotate()


def test_an_interrupted_rotation_is_not_overwritten(records, key_file):
    pending = key_file.with_name("master.key.new")
    pending.write_text("the key an interrupted rotation left")
    with pytest.raises(CommandError, match="interrupted"):
        rotate()
    assert pending.read_text() == "the key an interrupted rotation left"


def test_a_key_from_the_environment_is_rotated_only_when_it_may_be_printed(records, monkeypatch):
    old = aead.new_key()
    # An instance whose key lives in the environment: its case keys are wrapped under that key.
    monkeypatch.setenv(keys.ENV_VAR, base64.b64encode(old).decode())
    case = Case.objects.create(title="Under the environment key")
    with pytest.raises(CommandError, match="--print-new-key"):
        rotate()
    assert opens(old, bytes(Case.objects.get(pk=case.pk).wrapped_key), sealing.case_label(case.pk))


def test_the_new_environment_key_is_printed_once(db, monkeypatch, key_file):
    old = aead.new_key()
    monkeypatch.setenv(keys.ENV_VAR, base64.b64encode(old).decode())
    case = Case.objects.create(title="Under the environment key")
    out, err = rotate("--print-new-key")
    new = base64.b64decode(out.strip())
    assert opens(new, bytes(Case.objects.get(pk=case.pk).wrapped_key), sealing.case_label(case.pk))
    assert out.strip() not in err and "restart" in err
    assert not key_file.exists()  # nothing written to disk


# split and recover


def split(tmp_path, shares=5, threshold=3):
    directory = tmp_path / "shares"
    run("split", "--shares", str(shares), "--threshold", str(threshold), "--output-dir", str(directory))
    return sorted(directory.iterdir())


def test_split_writes_one_private_file_per_share(records, tmp_path):
    files = split(tmp_path)
    assert [f.name for f in files] == [f"shelter-key-share-{n}-of-5.txt" for n in range(1, 6)]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert len({f.read_text() for f in files}) == 5
    secret = base64.b64encode(sealing.master_key()).decode()
    assert not any(secret in f.read_text() for f in files)


def test_any_threshold_of_shares_recovers_this_instances_key(records, tmp_path):
    files = split(tmp_path)
    out, _err = run("recover", str(files[4]), str(files[0]), str(files[2]))
    assert keys.fingerprint(sealing.master_key()) in out


def test_shares_can_be_given_on_standard_input(records, tmp_path):
    files = split(tmp_path, shares=3, threshold=2)
    out, _err = run("recover", stdin=io.StringIO(files[1].read_text() + files[2].read_text()))
    assert "rebuild this instance's master key" in out


def test_printed_shares_recover_the_key(records):
    out, err = run("split", "--shares", "3", "--threshold", "2")
    assert "printed above" in err
    out, _err = run("recover", stdin=io.StringIO(out))
    assert "rebuild this instance's master key" in out


def test_recover_writes_the_key_for_a_new_machine(records, tmp_path):
    files = split(tmp_path)
    target = tmp_path / "new-machine" / "master.key"
    target.parent.mkdir()
    run("recover", *map(str, files[:3]), "--output", str(target))
    assert file_key(target) == sealing.master_key()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_recover_never_overwrites_a_key_file(records, tmp_path, key_file):
    files = split(tmp_path)
    with pytest.raises(CommandError, match="never overwritten"):
        run("recover", *map(str, files[:3]), "--output", str(key_file))


@pytest.mark.attack("keys")
def test_shares_below_the_threshold_recover_nothing(records, tmp_path):
    files = split(tmp_path)
    with pytest.raises(CommandError, match="2 distinct share\\(s\\) given, but 3 are needed"):
        run("recover", str(files[0]), str(files[1]))
    with pytest.raises(CommandError, match="1 distinct"):
        run("recover", str(files[0]), str(files[0]), str(files[0]))  # the same share thrice


@pytest.mark.attack("keys")
def test_shares_of_different_sets_are_refused(records, tmp_path):
    first = split(tmp_path)
    (tmp_path / "shares").rename(tmp_path / "first")
    second = split(tmp_path)
    with pytest.raises(CommandError, match="different sets"):
        run("recover", str(tmp_path / "first" / first[0].name), str(second[1]), str(second[2]))


@pytest.mark.attack("keys")
def test_a_corrupted_word_is_refused_without_echoing_the_share(records, tmp_path):
    files = split(tmp_path)
    lines = files[1].read_text().splitlines()
    words = lines[-1].split()
    words[10] = "academic" if words[10] != "academic" else "acid"
    lines[-1] = " ".join(words)
    files[1].write_text("\n".join(lines))
    with pytest.raises(CommandError, match="share 2 is not a valid share") as refused:
        run("recover", str(files[0]), str(files[1]), str(files[2]))
    assert words[0] not in str(refused.value)


def test_shares_of_another_key_do_not_pass_the_fingerprint_check(records, tmp_path, key_file):
    files = split(tmp_path)
    rotate()
    with pytest.raises(CommandError, match="rotated out"):
        run("recover", *map(str, files[:3]))


@pytest.mark.parametrize("shares,threshold", [(3, 1), (3, 4), (17, 3), (0, 0)])
def test_impossible_share_counts_are_refused(records, tmp_path, shares, threshold):
    with pytest.raises(CommandError, match="threshold|at most"):
        run("split", "--shares", str(shares), "--threshold", str(threshold), "--output-dir", str(tmp_path / "s"))
    assert not (tmp_path / "s").exists()


def test_split_refuses_to_overwrite_share_files(records, tmp_path):
    split(tmp_path)
    before = {f.name: f.read_text() for f in (tmp_path / "shares").iterdir()}
    with pytest.raises(CommandError, match="none were kept"):
        split(tmp_path)
    assert {f.name: f.read_text() for f in (tmp_path / "shares").iterdir()} == before


def test_split_is_audited(records, tmp_path):
    split(tmp_path)
    event = AuditEvent.objects.get(object_type="master_key", action="backup")
    assert event.detail == {"shares": 5, "threshold": 3}
