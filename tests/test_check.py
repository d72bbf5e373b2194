"""The data's problems: `alliances check` passes on the shipped data; each kind of problem,
made in one place on a copy of the data, fails `check` with the right file, line and
message, and a query meets a broken fact base with one line naming file and line."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from alliances.facts.verify import schema_text


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle, nth=1):
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if needle in line]
    return hits[nth - 1]


def problems(cli, data):
    r = cli("check", "--data", data, "--format", "json", code=1)
    report = json.loads(r.stdout)
    assert report["ok"] is False and report["data"] == str(data)
    return report["problems"]


@pytest.mark.shipped
def test_shipped_data_passes(cli):
    r = cli("check")
    assert r.stdout.strip().endswith(": ok")
    report = json.loads(cli("check", "--format", "json").stdout)
    counts = report["counts"]
    # every article stored beside sources.yaml is a source (17 shipped, and articles2's)
    from alliances.facts.paths import default_data_dir

    folder = os.path.join(default_data_dir(), "sources")
    texts = [f for f in os.listdir(folder) if f.endswith(".txt")]
    assert report["ok"] and counts["sources"] == len(texts) >= 27
    assert counts["quotes"] == counts["quotes_verified"] > 30


def test_a_changed_letter_in_a_quote(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "Georgia was a member but withdrew in 1999\"",
         "Georgia was a member but withdrew in 1998\"")
    fact_line = line_of(blocs, "withdrew in 1998")
    # The quote no longer names the year of its `until: 1999` either: both are reported.
    p, q = problems(cli, data_copy)
    if "quote not found" not in p["message"]:
        p, q = q, p
    assert p["file"] == "blocs.yaml" and p["line"] == fact_line
    assert q["file"] == "blocs.yaml" and q["line"] == fact_line
    assert "1999 is more precise than its quote" in q["message"]
    assert "quote not found in source 'goodenough-2008'" in p["message"]
    assert "nearest passage: \u201cGeorgia was a member but withdrew in 1999\u201d" in p["message"]


def test_whitespace_and_typographic_quotes_are_not_failures(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "\"To date, only Nicaragua has followed Russia\u2019s lead.\"",
         "\"To  date, only Nicaragua has followed Russia's lead.\"")
    cli("check", "--data", data_copy)


# Verification looks for a quote as written first, and normalises only one not found so
# (facts/verify.py, found_as_written): that shortcut must never find what the normalised
# search would not. Texts from the characters normalisation touches (PLAIN's, whitespace
# of every kind) and a few plain ones; quotes cut from them anywhere, or made up.
_CHARS = ("ab ,.'\"-\t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u202f\u2028\u3000`"
          "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2212")


def test_a_quote_found_as_written_is_found_normalised():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from alliances.facts.verify import found_as_written, normalise

    text_st = st.text(alphabet=_CHARS, max_size=40)

    @settings(max_examples=3000, deadline=None)
    @given(text_st, st.integers(0, 40), st.integers(0, 40), text_st)
    def check(text, i, j, other):
        for quote in (text[min(i, j):max(i, j)], other):
            if found_as_written(quote, text):
                assert normalise(quote) in normalise(text), (quote, text)

    check()


def test_a_quote_found_only_normalised_and_one_not_found_are_told_apart(cli, data_copy):
    # the first is verified through the normalised search, the second still fails there
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "\"To date, only Nicaragua has followed Russia\u2019s lead.\"",
         "\"To date,\\n only Nicaragua  has followed Russia`s lead.\"")
    edit(blocs, "quote: \"a healthy", "quote: \"a wealthy")
    [p] = problems(cli, data_copy)
    assert p["message"].startswith("quote not found in source 'eurasianet-2014'")
    assert p["line"] == line_of(blocs, "a wealthy")


def test_a_wrong_source_id(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "    source: eurasianet-2014\n    quote: \"a healthy",
         "    source: eurasianet-2015\n    quote: \"a healthy")
    [p] = problems(cli, data_copy)
    assert p["line"] == line_of(blocs, "eurasianet-2015")
    assert p["message"].startswith("unknown source 'eurasianet-2015'")


def test_since_after_until(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "    until: \"1999\"\n", "    since: \"2001\"\n    until: \"1999\"\n")
    ps = problems(cli, data_copy)
    assert any(p["line"] == line_of(blocs, 'since: "2001"') and
               p["message"] == "since 2001 is after until 1999" for p in ps)


def test_dated_after_its_source_unless_forecast(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "    since: \"2008-08\"\n", "    since: \"2009-08\"\n")
    [p] = problems(cli, data_copy)
    assert "after the publication date 2008-09-04 of source 'reuters-2008'" in p["message"]
    edit(blocs, "    since: \"2009-08\"\n", "    since: \"2009-08\"\n    forecast: true\n")
    cli("check", "--data", data_copy)


def test_a_duplicate_key(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "  iran: {name: Iran}", "  iran: {name: Iran, name: Persia}")
    [p] = problems(cli, data_copy)
    assert p["line"] == line_of(blocs, "iran: {name")
    assert p["message"].startswith("duplicate key 'name'")


def test_an_alias_anchor(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "  syria: {name: Syria}", "  syria: &s {name: Syria}\n  syria2: *s")
    [p] = problems(cli, data_copy)
    assert p["line"] == line_of(blocs, "syria: &s") and "anchor &s is not allowed" in p["message"]


def test_an_unknown_field(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "    status: aspirant\n", "    status: aspirant\n    sinse: \"2008\"\n")
    [p] = problems(cli, data_copy)
    assert p["line"] == line_of(blocs, "sinse:")
    assert "unknown field 'sinse'" in p["message"] and "did you mean 'since'" in p["message"]


def test_a_status_outside_the_documented_set(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "    status: aspirant\n", "    status: candidate\n")
    [p] = problems(cli, data_copy)
    assert p["line"] == line_of(blocs, "status: candidate") and "'candidate'" in p["message"]


def test_an_alias_shadowing_another_name(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "    aliases: [CIS]", "    aliases: [CIS, sco]")
    ps = problems(cli, data_copy)
    assert any("name 'sco' is already used by bloc 'sco'" in p["message"] for p in ps)


def test_incomplete_source_metadata_and_bad_encoding(cli, data_copy):
    sources = data_copy / "sources" / "sources.yaml"
    edit(sources, "    title: \"Russia allies fail to back Moscow on enclaves\"\n", "")
    (data_copy / "sources" / "eurasianet-2014.txt").write_bytes(b"caf\xe9 latin-1")
    ps = problems(cli, data_copy)
    assert any(p["file"] == "sources/sources.yaml" and
               "missing required field 'title'" in p["message"] for p in ps)
    assert any(p["file"] == "sources/eurasianet-2014.txt" and "not valid UTF-8" in p["message"]
               for p in ps)


def test_check_text_report_and_exit_code(cli, data_copy):
    edit(data_copy / "blocs.yaml", "Georgia was a member but withdrew in 1999\"",
         "Georgia was a member but left in 1999\"")
    r = cli("check", "--data", data_copy, code=1)
    assert r.stdout.splitlines()[0].startswith("blocs.yaml:")
    assert "1 problem(s)" in r.stdout.splitlines()[-1]


def test_query_commands_also_refuse_strictness_problems(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "  syria: {name: Syria}", "  syria: {name: !!str Syria}")
    r = cli("members", "CSTO", "--data", data_copy, code=1)
    assert f"blocs.yaml:{line_of(blocs, 'syria:')}: YAML tag" in r.stderr


# -- the JSON Schema agrees with the loader ----------------------------------------
jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture
def validator(cli):
    schema = json.loads(cli("check", "--schema").stdout)
    assert schema == json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_data_and_schema_examples_validate(validator, data_copy):
    tree = yaml.safe_load((data_copy / "blocs.yaml").read_text("utf-8"))
    assert list(validator.iter_errors(tree)) == []
    for example in validator.schema["examples"]:
        assert list(validator.iter_errors(example)) == []


@pytest.mark.parametrize("old,new", [
    ("    status: aspirant\n", "    status: candidate\n"),
    ("    status: aspirant\n", "    status: aspirant\n    sinse: \"2008\"\n"),
    ("    until: \"1999\"\n", "    until: \"1999-13\"\n"),
    ("    quote: \"Georgia was a member but withdrew in 1999\"\n", ""),
    ("  iran: {name: Iran}", "  iran: {nom: Iran}"),
    ("schema: 1", "schema: 2"),
])
def test_loader_rejects_what_the_schema_rejects(validator, cli, data_copy, old, new):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, old, new)
    assert list(validator.iter_errors(yaml.safe_load(blocs.read_text("utf-8"))))
    cli("members", "CSTO", "--data", data_copy, code=1)


def test_a_non_string_key(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    edit(blocs, "  iran: {name: Iran}", "  iran: {name: Iran}\n  1999: {name: Year}")
    [p] = problems(cli, data_copy)
    assert p["line"] == line_of(blocs, "1999: {name")
    assert p["message"] == "key '1999' must be a string"


# -- a broken fact base, met by a query: file, line and a suggestion, in one line -----
def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def test_malformed_yaml_names_file_and_line(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    _edit(blocs, "  georgia: {name: Georgia}", "  georgia: {name: Georgia")
    r = cli("members", "CSTO", "--data", data_copy, code=1)
    assert r.stderr.startswith("alliances: error: blocs.yaml:") and "invalid YAML" in r.stderr
    assert len(r.stderr.splitlines()) == 1


def test_duplicate_key_names_both_lines(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    _edit(blocs, "  serbia: {name: Serbia}", "  serbia: {name: Serbia}\n  serbia: {name: Serbia}")
    line = _line_of(blocs, "serbia: {name")
    r = cli("members", "CSTO", "--data", data_copy, code=1)
    assert f"blocs.yaml:{line + 1}: duplicate key 'serbia' (first at line {line})" in r.stderr


def test_fact_citing_an_unknown_source(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    _edit(blocs, "    source: rferl-2008\n    quote: \"The foreign",
          "    source: rferl-2009\n    quote: \"The foreign")
    line = _line_of(blocs, "source: rferl-2009")
    r = cli("members", "CSTO", "--data", data_copy, code=1)
    assert f"blocs.yaml:{line}: unknown source 'rferl-2009'" in r.stderr
    assert "did you mean 'rferl-2008'" in r.stderr


def test_missing_data_directory_names_the_path(cli, tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    r = cli("members", "CSTO", "--data", missing, code=1)
    assert str(missing) in r.stderr and "not found" in r.stderr
    monkeypatch.setenv("ALLIANCES_DATA", str(missing))
    r = cli("recognizes", "Abkhazia", code=1)
    assert str(missing) in r.stderr


def test_alliances_data_env_points_at_another_directory(cli, data_copy, monkeypatch):
    _edit(data_copy / "blocs.yaml", "  serbia: {name: Serbia}",
          "  serbia: {name: Republic of Serbia}")
    monkeypatch.setenv("ALLIANCES_DATA", str(data_copy))
    assert "Republic of Serbia" in cli.names("members", "CSTO", "--as-of", "2014", "--all")


def test_a_derived_end_narrowed_by_its_start_needs_no_note(cli, tmp_path):
    # "joined in August 2001 but withdrew in 2001": the former membership starts in
    # [2001-08-01..2001-12-31], a day precision no quote need name, since the curator wrote
    # only "2001-08" and "2001" (each named by the quote); an undated day still is reported
    from test_spells import base

    text = "Ardia joined the Pact in August 2001 but withdrew in 2001."
    fact = ("memberships:\n  - state: ardia\n    bloc: pact\n    status: member\n"
            "    since: \"2001-08\"\n    until: \"2001\"\n    source: a\n"
            f"    quote: \"{text}\"\n")
    d = base(tmp_path, {"a": ("2002-05-01", [text])}, fact)
    assert cli("check", "--data", d).stdout.strip().endswith(": ok")
    wrong = base(tmp_path, {"a": ("2002-05-01", [text])},
                 fact.replace('since: "2001-08"', 'since: "2001-08-03"'), name="wrong")
    r = cli("check", "--data", wrong, "--format", "json", code=1)
    assert "since 2001-08-03 is more precise than its quote" in r.stdout
