"""Property-based tests of the importers: mapping files, spreadsheet rows, CSV tables, the JSON
lines of a person registry and backup archive headers and manifests. Whatever a hostile file
holds, each either gives a value or refuses with its documented error, never another exception."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter import thesaurus
from shelter.exchange import archive, mapping, rows, tables
from shelter.exchange import person_lines

pytestmark = pytest.mark.attack("property")

FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(mapping.FIELDS) | st.text(max_size=12)


def objects_with_keys(keys):
    return st.dictionaries(keys, json_values | st.text(max_size=30), max_size=len(mapping.FIELDS))


mapping_objects = st.fixed_dictionaries(
    {},
    optional={
        "columns": st.dictionaries(field_names, st.text(max_size=12), max_size=6) | json_values,
        "values": st.dictionaries(field_names, st.dictionaries(st.text(max_size=8), st.text(max_size=8))) | json_values,
        "defaults": st.dictionaries(field_names, st.text(max_size=8)) | json_values,
        "separator": st.text(max_size=2) | json_values,
        "delimiter": st.text(max_size=2) | json_values,
        "sheet": st.text(max_size=5) | json_values,
        "unknown": json_values,
    },
)

VOCABULARY = rows.Vocabulary(
    tactics=frozenset(thesaurus.codes("tactics")),
    accusations=frozenset(thesaurus.codes("accusations")),
    outcomes=frozenset({"unknown", "released", "returned"}),
    complicity=frozenset({"unknown", "none", "passive", "active"}),
)
GOOD_MAPPING = mapping.parse(json.dumps({"columns": {f: f for f in mapping.FIELDS}}))


@FAST
@given(st.text(max_size=200) | mapping_objects.map(json.dumps))
def test_a_mapping_file_parses_or_is_refused_with_a_mapping_error(text):
    try:
        parsed = mapping.parse(text)
    except mapping.MappingError:
        return
    assert parsed.columns and set(parsed.columns) <= set(mapping.FIELDS)
    assert len(parsed.separator) == 1 and len(parsed.delimiter) == 1


@FAST
@given(st.lists(st.text(max_size=12), max_size=14))
def test_headers_give_column_positions_or_a_mapping_error(headers):
    try:
        positions = rows.column_positions(GOOD_MAPPING, headers)
    except mapping.MappingError:
        return
    assert all(0 <= i < len(headers) for i in positions.values())


@FAST
@given(st.lists(st.text(max_size=40) | st.sampled_from(["UZ", "TR", "2021-03", "detention", "1", "0", "-5"]),
                max_size=len(mapping.FIELDS) + 2))
def test_a_row_becomes_an_incident_or_a_list_of_reasons(cells):
    positions = {f: i for i, f in enumerate(mapping.FIELDS)}
    if rows.cell_count_problem(cells, len(mapping.FIELDS)):
        cells = (cells + [""] * len(mapping.FIELDS))[: len(mapping.FIELDS)]
    result = rows.build_incident(rows.raw_values(GOOD_MAPPING, positions, cells), GOOD_MAPPING, VOCABULARY)
    if isinstance(result, list):
        assert result and all(isinstance(reason, str) for reason in result)
    else:
        assert result.tactics and set(result.tactics) <= VOCABULARY.tactics
        assert result.people_targeted >= 1


@FAST
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode), st.sampled_from([",", ";", "\t"]))
def test_csv_bytes_read_as_a_table_or_a_table_error(tmp_path_factory, data, delimiter):
    path = tmp_path_factory.mktemp("csv") / "incidents.csv"
    path.write_bytes(data)
    try:
        table = tables.read_table(path, delimiter)
    except tables.TableError:
        return
    assert table.headers and all(isinstance(cell, str) for row in table.rows for cell in row.cells)


@FAST
@given(st.binary(max_size=300))
def test_xlsx_bytes_read_as_a_table_or_a_table_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("xlsx") / "incidents.xlsx"
    path.write_bytes(b"PK\x03\x04" + data if data[:1] == b"\x00" else data)
    with pytest.raises(tables.TableError):
        tables.read_table(path)


person_objects = objects_with_keys(st.sampled_from(person_lines.FIELDS) | st.text(max_size=8)).map(json.dumps)


@FAST
@given(st.lists(st.binary(max_size=80) | st.text(max_size=80) | person_objects, max_size=6))
def test_person_lines_give_a_person_or_a_line_error_each(lines):
    results = list(person_lines.read(lines))
    assert len(results) <= len(lines)
    for result in results:
        assert isinstance(result, (person_lines.PersonLine, person_lines.LineError))
        if isinstance(result, person_lines.PersonLine):
            assert result.external_id and result.name


@FAST
@given(st.text(alphabet="ZKarimov0123456789", min_size=6, max_size=12))
def test_a_rejected_person_line_never_echoes_its_values(secret):
    """The reasons are shown on the terminal and may be logged: they describe, never quote."""
    line = json.dumps({"id": secret, secret: secret, "name": 5, "birth_date": secret, "gender": secret})
    [result] = person_lines.read([line])
    assert isinstance(result, person_lines.LineError) and secret not in str(result)


@FAST
@given(st.binary(max_size=80) | st.builds(lambda tail: archive.MAGIC + tail, st.binary(max_size=80)))
def test_an_archive_header_parses_or_is_refused_with_an_archive_error(data):
    try:
        header, (log2_n, r, p, salt, check) = archive.read_header(io.BytesIO(data))
    except archive.ArchiveError:
        return
    assert log2_n in archive.LOG2_N_RANGE and r in archive.R_RANGE and p in archive.P_RANGE
    assert header == data[: archive.HEADER.size]


@FAST
@given(st.binary(max_size=120) | json_values.map(lambda v: json.dumps(v).encode()))
def test_a_manifest_parses_or_is_refused_with_an_archive_error(data):
    try:
        manifest = archive.parse_manifest(data)
    except archive.ArchiveError:
        return
    assert manifest["format"] == archive.MANIFEST_FORMAT
