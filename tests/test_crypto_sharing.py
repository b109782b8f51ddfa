import itertools
import os

import pytest

from shelter.crypto import sharing

SECRET = os.urandom(32)


@pytest.fixture(scope="module")
def three_of_five():
    return sharing.split(SECRET, shares=5, threshold=3)


def test_every_share_is_a_mnemonic_of_words(three_of_five):
    assert len(three_of_five) == 5
    assert all(len(share.split()) == 33 for share in three_of_five)
    assert len(set(three_of_five)) == 5


def test_any_threshold_of_shares_rebuilds_the_secret(three_of_five):
    for chosen in itertools.combinations(three_of_five, 3):
        assert sharing.recover(list(chosen)) == SECRET


def test_more_shares_than_needed_also_rebuild_it(three_of_five):
    assert sharing.recover(three_of_five) == SECRET


def test_case_and_spacing_of_the_words_do_not_matter(three_of_five):
    typed = ["  " + "   ".join(share.upper().split()) + "\n" for share in three_of_five[:3]]
    assert sharing.recover(typed) == SECRET


@pytest.mark.attack("keys")
def test_shares_below_the_threshold_recover_nothing(three_of_five):
    for chosen in itertools.combinations(three_of_five, 2):
        with pytest.raises(sharing.SharingError, match="2 distinct share\\(s\\) given, but 3 are needed"):
            sharing.recover(list(chosen))


@pytest.mark.attack("keys")
def test_a_repeated_share_does_not_count_twice(three_of_five):
    with pytest.raises(sharing.SharingError, match="1 distinct"):
        sharing.recover([three_of_five[0]] * 3)


@pytest.mark.attack("keys")
def test_shares_of_different_sets_are_refused(three_of_five):
    other = sharing.split(SECRET, shares=5, threshold=3)
    with pytest.raises(sharing.SharingError, match="different sets"):
        sharing.recover([three_of_five[0], three_of_five[1], other[2]])


@pytest.mark.attack("keys")
def test_a_changed_word_is_caught_by_the_checksum(three_of_five):
    words = three_of_five[1].split()
    words[20] = "academic" if words[20] != "academic" else "acid"
    with pytest.raises(sharing.SharingError, match="share 2 is not a valid share") as refused:
        sharing.recover([three_of_five[0], " ".join(words), three_of_five[2]])
    assert words[0] not in str(refused.value)  # the refusal quotes no word of a share


def test_an_unknown_word_is_refused(three_of_five):
    with pytest.raises(sharing.SharingError, match="share 1 is not a valid share"):
        sharing.recover(["password " + three_of_five[0]] + three_of_five[1:3])


def test_a_truncated_share_is_refused(three_of_five):
    with pytest.raises(sharing.SharingError, match="share 3"):
        sharing.recover(three_of_five[:2] + [" ".join(three_of_five[2].split()[:-1])])


def test_no_share_at_all_is_refused():
    with pytest.raises(sharing.SharingError, match="no share"):
        sharing.recover([])


@pytest.mark.parametrize("shares,threshold", [(3, 1), (1, 1), (3, 4), (17, 3)])
def test_impossible_counts_are_refused(shares, threshold):
    with pytest.raises(sharing.SharingError):
        sharing.split(SECRET, shares=shares, threshold=threshold)


def test_the_threshold_is_read_from_any_share(three_of_five):
    assert sharing.threshold_of(three_of_five[4]) == 3
