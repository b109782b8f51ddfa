import shelter.matching as matching


def test_the_public_api_is_importable_from_the_package():
    assert all(hasattr(matching, name) for name in matching.__all__)
    result = matching.score(matching.make("Ўткир Ҳошимов"), matching.make("Oʻtkir Hoshimov"))
    assert isinstance(result, matching.Result) and result.score >= matching.THRESHOLD
