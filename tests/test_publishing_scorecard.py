"""The scorecard engine (shelter.publishing.scorecard), its charts and its recommendations, from plain
dicts: what it counts for a state as origin or as host, and what it refuses."""

import re

import pytest

from shelter.publishing import charts, scorecard
from shelter.publishing.recommendations import recommend


def incident(year=2021, origin="UZ", host="TR", tactics=("detention",), outcome="detained", complicity="active",
             targets=(("p1", ("journalist",)),), people=1):
    return {"year": year, "origin": origin, "host": host, "tactics": list(tactics), "outcome": outcome,
            "host_complicity": complicity, "people_targeted": people,
            "targets": [{"id": i, "profiles": list(p)} for i, p in targets]}


def process(kind="red_notice", requesting="UZ", deciding="TR", status="granted", year=2020):
    return {"kind": kind, "requesting_state": requesting, "deciding_state": deciding, "status": status, "year": year}


def card(incidents=(), processes=(), state="UZ", side="origin", start=2019, end=2022):
    return scorecard.build(list(incidents), list(processes), scorecard.scope(state, side, start, end))


def test_it_counts_incidents_per_year_by_tactic_for_an_origin():
    found = card([incident(2020, tactics=("detention", "interpol_abuse")), incident(2021, tactics=("threats",)),
                  incident(2021, origin="TJ"), incident(2023)])
    assert found["incident_count"] == 2
    years = {y["year"]: dict(y["tactics"]) for y in found["by_year"]}
    assert years[2020] == {"detention": 1, "interpol_abuse": 1, "threats": 0}
    assert years[2021]["threats"] == 1 and years[2019] == {"detention": 0, "interpol_abuse": 0, "threats": 0}
    assert found["years"] == [2019, 2020, 2021, 2022]
    assert found["physical_count"] == 1


def test_it_sees_a_host_from_the_other_side():
    found = card([incident(origin="UZ", host="TR"), incident(origin="TJ", host="TR"), incident(origin="TJ", host="RU")],
                 state="TR", side="host")
    assert found["incident_count"] == 2
    assert found["counterparts"] == [("TJ", 1), ("UZ", 1)]


def test_it_maps_physical_tactics_to_freedom_houses_six():
    found = card([incident(tactics=("abduction",)), incident(tactics=("rendition", "surveillance"))])
    assert found["freedom_house_tactics"] == [("rendition", 2)]
    assert [c for c, _ in found["non_physical"]] == ["surveillance"]


def test_it_counts_each_target_once_per_profile():
    found = card([incident(targets=(("p1", ("journalist",)),)), incident(targets=(("p1", ("journalist",)), ("p2", ()))),
                  incident(targets=(("p3", ("opposition", "journalist")),))])
    assert dict(found["profiles"]) == {"journalist": 2, "opposition": 1, "unrecorded": 1}


def test_it_counts_outcomes_complicity_and_returnees():
    found = card([incident(outcome="returned", tactics=("unlawful_deportation",)), incident(outcome="imprisoned"),
                  incident(outcome="released", complicity="none")])
    assert dict(found["outcomes"]) == {"returned": 1, "imprisoned": 1, "released": 1}
    assert dict(found["complicity"]) == {"active": 2, "none": 1}
    assert dict(found["returnees"]) == {"returned": 1, "imprisoned": 1}


def test_it_counts_requests_the_origin_made_and_ccf_results():
    found = card(processes=[process(), process(status="refused"), process(kind="diffusion"), process(kind="ccf", status="granted"),
                            process(requesting="TJ"), process(year=2010)])
    rows = {r["kind"]: dict(r["statuses"]) for r in found["requests"]}
    assert rows == {"red_notice": {"granted": 1, "refused": 1}, "diffusion": {"granted": 1}}
    assert found["ccf"] == [{"kind": "ccf", "total": 1, "statuses": [("granted", 1)]}]


def test_a_host_counts_the_requests_it_decided():
    found = card(processes=[process(deciding="TR"), process(deciding="DE")], state="TR", side="host")
    assert found["requests"][0]["total"] == 1 and found["requesting_states"] == [("UZ", 1)]


@pytest.mark.parametrize("state, side, start, end, field", [
    ("UZ", "both", 2019, 2020, "side"), ("Uzbekistan", "origin", 2019, 2020, "state"), ("", "origin", 2019, 2020, "state"),
    ("UZ", "origin", "twenty", 2020, "from"), ("UZ", "origin", 2021, 2020, "from"), ("UZ", "origin", 2019, 99999, "to"),
])
def test_it_refuses_a_scope_that_is_not_one(state, side, start, end, field):
    with pytest.raises(scorecard.ScopeError) as raised:
        scorecard.scope(state, side, start, end)
    assert raised.value.field == field


def test_it_gives_freedom_houses_global_figures_without_a_country_figure():
    figures = card()["freedom_house"]
    assert figures["country"] == []
    assert [(e["period"], e["incidents"]) for e in figures["global"]] == [([2014, 2020], 608), ([2014, 2022], 854), ([2014, 2024], 1219)]
    assert all(e["source"] in figures["sources"] for e in figures["global"])


def test_it_gives_a_country_figure_where_a_source_gives_one():
    data = {"version": "t", "sources": {"s": {"title": "T"}}, "global": [],
            "countries": {"UZ": {"origin": [{"period": [2014, 2020], "incidents": 7, "source": "s"}]}}}
    s = scorecard.scope("UZ", "origin", 2014, 2020)
    assert scorecard.freedom_house_figures(s, data)["country"][0]["incidents"] == 7
    assert scorecard.freedom_house_figures(scorecard.scope("UZ", "host", 2014, 2020), data)["country"] == []


def test_a_host_that_returned_people_to_a_state_of_very_high_risk_is_told_to_halt_returns():
    s = scorecard.scope("TR", "host", 2019, 2022)
    incidents = [incident(outcome="returned", tactics=("unlawful_deportation",))]
    found = recommend(scorecard.build(incidents, [], s), incidents, s, high_risk={"UZ"})
    assert [r["code"] for r in found] == ["halt_returns"]
    assert "Uzbekistan" in found[0]["text"]["en"] and "Узбекистан" in found[0]["text"]["ru"]
    assert found[0]["sources"]
    assert recommend(scorecard.build(incidents, [], s), incidents, s, high_risk=set()) == []


def test_an_origin_with_a_trade_preference_is_told_to_expect_conditionality():
    s = scorecard.scope("UZ", "origin", 2019, 2022)
    incidents = [incident()]
    found = recommend(scorecard.build(incidents, [], s), incidents, s)
    assert [r["code"] for r in found] == ["trade_conditionality"]
    assert found[0]["uncertain"] is True and len(found[0]["sources"]) == 2
    assert recommend(scorecard.build([], [], s), [], s) == []


def test_the_rules_and_the_return_risk_come_from_the_data_files():
    from shelter.publishing.recommendations import rules, very_high_return_risk

    assert {"UZ", "TJ", "RU"} <= very_high_return_risk()
    for rule in rules()["rules"]:
        assert rule["text"]["en"] and rule["text"]["ru"] and rule["sources"]


def chart(label="Detention"):
    return charts.stacked_years([2020, 2021], [(label, "#8c1c13", [1, 3])], description="Incidents: 4", ylabel="Incidents")


def test_a_chart_is_an_accessible_svg_whose_text_stays_text():
    svg = chart()
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Incidents: 4"' in svg
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "Detention" in svg and "2021" in svg  # text, not glyph paths
    assert "DejaVu Sans" in svg


def test_a_chart_needs_no_inline_style():
    """The Content Security Policy refuses style attributes and elements: the SVG uses attributes."""
    svg = chart()
    assert "style=" not in svg and "<style" not in svg
    assert 'font-family="DejaVu Sans"' in svg and 'stroke-linejoin="round"' in svg


def test_two_charts_on_a_page_share_no_id():
    ids = [re.findall(r'id="([^"]+)"', charts.bars([("a", 1)], description="d", key=k)) for k in ("one", "two")]
    assert ids[0] and not set(ids[0]) & set(ids[1])
    assert all(i.startswith("one-") for i in ids[0])


def test_a_chart_is_the_same_file_each_time():
    assert chart() == chart()


def test_a_chart_writes_cyrillic_and_unlocalised_numbers():
    svg = charts.bars([("Задержание", 3), ("Угрозы", 12)], description="Тактики")
    assert "Задержание" in svg and " 12<" in svg  # the bar's value, written by Python's int format
    assert not re.search(r"\d,\d", svg)


@pytest.mark.attack("xss")
def test_it_escapes_a_label_with_a_script():
    svg = chart('<script>alert("x")</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    described = charts.bars([("a", 1)], description='"><script>alert(1)</script>')
    assert "<script>" not in described
