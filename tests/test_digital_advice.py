"""The advice sheet follows the findings: password advice for credential phishing, device advice for
malware, image advice for tracking, and always how to keep the message and where to get help."""

from shelter.digital import advice


def ids(goals=(), kinds=()):
    return [item["id"] for item in advice.choose(goals, kinds)]


def test_credential_phishing_calls_for_the_password_and_the_account_settings():
    chosen = ids(goals=["credentials"])
    assert {"password", "second_factor", "account_review", "keep_original", "helpline"} <= set(chosen)
    assert "do_not_open" not in chosen


def test_malware_calls_for_the_device_and_a_phone_check():
    assert {"do_not_open", "phone_check"} <= set(ids(goals=["malware"])) and "password" not in ids(goals=["malware"])


def test_a_known_campaign_calls_for_warning_others():
    assert "warn_others" in ids(kinds=["known_ioc"])


def test_no_sign_still_says_how_to_keep_the_message_and_where_to_get_help():
    assert ids() == ["keep_original", "helpline"]


def test_every_item_is_in_both_languages_with_its_source():
    for item in advice.choose(["credentials", "malware", "tracking"], ["known_ioc"]):
        assert item["en"] and item["ru"] and item["source"]
