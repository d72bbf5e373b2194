"""The Python API (docs/api.md): every question the command line answers with rows, asked
through `alliances.open(...)` with the same options, gives the rows of `--format json`, on
the shipped data and on a small synthetic fact base; typed rows follow the fields'
declaration; `import alliances` and a query's start-up import nothing of the API."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import subprocess
import sys

import pytest

import alliances
from alliances.output.fields import KINDS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COW = os.path.join(ROOT, "tests", "data", "cow_csto_sco.csv")

# (command line, method, positional arguments, keywords): several per command, with its
# options; `test_every_row_command_is_asked` holds the list to the app's commands.
SHIPPED = [
    (["members", "CSTO"], "members", ("CSTO",), {}),
    (["members", "ODKB", "--as-of", "2014", "--status", "observer"], "members", ("ODKB",),
     {"as_of": "2014", "status": "observer"}),
    (["members", "CSTO", "--as-of", "2005/2014", "--each-year", "--all"], "members",
     ("CSTO",), {"as_of": "2005/2014", "each_year": True, "all": True}),
    (["members", "CSTO", "--as-of", "2020", "--all", "--basis", "possible"], "members",
     ("CSTO",), {"as_of": "2020", "all": True, "basis": "possible"}),
    (["members", "SCO", "--known-at", "2014", "--all"], "members", ("SCO",),
     {"known_at": "2014", "all": True}),
    (["recognizes", "Abkhazia", "--all"], "recognizes", ("Abkhazia",), {"all": True}),
    (["recognizes", "South Ossetia", "--known-at", "2008-09-04"], "recognizes",
     ("South Ossetia",), {"known_at": "2008-09-04"}),
    (["recognizes", "Abkhazia", "--as-of", "2008..2009", "--status", "recognizes,not-yet",
      "--basis", "stated,disputed"], "recognizes", ("Abkhazia",),
     {"as_of": "2008..2009", "status": ["recognizes", "not-yet"],
      "basis": ["stated", "disputed"]}),
    (["recognizes", "Abkhazia", "--source", "outline-2014", "--all"], "recognizes",
     ("Abkhazia",), {"source": "outline-2014", "all": True}),
    (["recognitions", "Belarus", "--all"], "recognitions", ("Belarus",), {"all": True}),
    (["recognitions", "Russia", "--as-of", "2008/2010", "--each-year"], "recognitions",
     ("Russia",), {"as_of": "2008/2010", "each_year": True}),
    (["memberships", "Georgia", "--all"], "memberships", ("Georgia",), {"all": True}),
    (["memberships", "Kyrgyzstan", "--as-of", "2008"], "memberships", ("Kyrgyzstan",),
     {"as_of": "2008"}),
    (["compare", "CSTO", "SCO"], "compare", ("CSTO", "SCO"), {}),
    (["compare", "CSTO", "SCO", "--as-of", "2008", "--all", "--basis", "stated"], "compare",
     ("CSTO", "SCO"), {"as_of": "2008", "all": True, "basis": "stated"}),
    (["shared", "Russia", "Kyrgyzstan"], "shared", ("Russia", "Kyrgyzstan"), {}),
    (["shared", "Russia", "Armenia", "--as-of", "2024", "--all"], "shared",
     ("Russia", "Armenia"), {"as_of": "2024", "all": True}),
    (["timeline", "Georgia"], "timeline", ("Georgia",), {}),
    (["timeline", "CSTO", "--known-at", "2012"], "timeline", ("CSTO",), {"known_at": "2012"}),
    (["timeline", "Abkhazia", "--source", "dfwatch-2014"], "timeline", ("Abkhazia",),
     {"source": "dfwatch-2014"}),
    (["changes", "CSTO", "--from", "2008", "--to", "2014", "--all"], "changes",
     ("CSTO", "2008", "2014"), {"all": True}),
    (["changes", "Abkhazia", "--from", "2008-08", "--to", "2010/2011"], "changes",
     ("Abkhazia", "2008-08", "2010/2011"), {}),
    (["explain", "Uzbekistan", "CSTO", "--as-of", "2014"], "explain", ("Uzbekistan", "CSTO"),
     {"as_of": "2014"}),
    (["explain", "Nicaragua", "Abkhazia", "--as-of", "2008-09", "--known-at", "2009"],
     "explain", ("Nicaragua", "Abkhazia"), {"as_of": "2008-09", "known_at": "2009"}),
    (["disputes"], "disputes", (), {}),
    (["disputes", "--known-at", "2014"], "disputes", (), {"known_at": "2014"}),
    (["claims", "--source", "goodenough-2008"], "claims", ("goodenough-2008",), {}),
    (["search", "Nicaragua"], "search", ("Nicaragua",), {}),
    (["blocs"], "blocs", (), {}),
    (["states"], "states", (), {}),
    (["sources"], "sources", (), {}),
    (["crosscheck", COW], "crosscheck", (COW,), {}),
    (["crosscheck", COW, "--only", "disagree,silent"], "crosscheck", (COW,),
     {"only": "disagree,silent"}),
]


def _cli_json(cli, args: list[str], data: str | None) -> tuple[list[dict], list[str]]:
    r = cli(*args, *(["--data", data] if data else []), "--format", "json")
    notes = [ln[len("note: "):] for ln in r.stderr.splitlines() if ln.startswith("note: ")]
    return json.loads(r.stdout), notes


def _compare(cli, facts, data, args, method, pos, kw):
    expected, notes = _cli_json(cli, args, data)
    rows = getattr(facts, method)(*pos, **kw)
    assert rows.to_dicts() == expected, args
    assert [r.to_dict() for r in rows] == expected
    if method != "crosscheck":  # crosscheck's summary line is not a note
        assert list(rows.notes) == notes, args
    assert all(type(r) is alliances.ROW_TYPES[rows.kind] for r in rows)
    return rows


@pytest.fixture(scope="module")
def shipped():
    return alliances.open()


@pytest.mark.shipped
@pytest.mark.parametrize("args, method, pos, kw", SHIPPED,
                         ids=[" ".join(c[0]).replace(COW, "COW") for c in SHIPPED])
def test_every_question_through_the_api_is_the_clis_json_on_the_shipped_data(
        cli, shipped, args, method, pos, kw):
    rows = _compare(cli, shipped, None, args, method, pos, kw)
    assert rows, args  # every case answers with rows: a comparison of two empty lists is no test


def test_every_row_command_is_asked():
    from test_fields import ARGS

    asked = {c[0][0] for c in SHIPPED}
    assert asked == set(ARGS)
    assert {c[0][0] for c in SYNTHETIC} == set(ARGS) - {"crosscheck"}
    for command in ARGS:  # the API has the command's method, under its name
        assert callable(getattr(alliances.Alliances, command)), command


@pytest.mark.shipped
@pytest.mark.parametrize("layout", ["state-year", "dyad-year"])
def test_the_panels_are_the_exports(cli, shipped, layout):
    expected = json.loads(cli("export", "-", "--format", "json", "--panel", layout).stdout)
    rows = shipped.panel(layout)
    assert rows.to_dicts() == expected and len(rows) > 100
    uzbekistan = next(r for r in rows if layout == "state-year" and r.state_id == "uzbekistan"
                      and r.year == 2008) if layout == "state-year" else None
    if uzbekistan is not None:
        # the 2008 lists name Uzbekistan in both the CSTO and the SCO (reuters-2008)
        assert (uzbekistan.codes["csto"], uzbekistan.codes["sco"]) == (1, 1)


# -- a small synthetic fact base, every article written here -------------------------------
ARTICLES = {
    "a2008": ("2008-09-04", ["The Pact comprises Ardia, Borsk and Cydon.",
                             "Ardia recognized Zed on 26 August 2008.",
                             "The other members of the Pact have yet to recognize Zed."]),
    "b2012": (("2012-06-28", "2012-06-29"), ["Cydon has decided to leave the Pact.",
                                             "Borsk recognized Zed in 2011.",
                                             "Dvina is an observer of the Union."]),
    "c2014": ("2014-09-03", ["The Pact includes Ardia and Borsk.",
                             "Borsk withdrew its recognition on July 12, 2013."]),
}
FACTS = """memberships:
  - state: cydon
    bloc: pact
    status: member
    until: {not_before: "2012-06-20"}
    source: b2012
    quote: "Cydon has decided to leave the Pact."
    note: "Decided by the article's date: it has left, or will, from some day after it."
  - state: dvina
    bloc: union
    status: observer
    source: b2012
    quote: "Dvina is an observer of the Union."
rosters:
  - bloc: pact
    source: a2008
    quote: "The Pact comprises Ardia, Borsk and Cydon."
    members: [ardia, borsk, cydon]
  - bloc: pact
    source: c2014
    quote: "The Pact includes Ardia and Borsk."
    members: [ardia, borsk]
recognitions:
  - state: ardia
    entity: zed
    status: recognizes
    since: "2008-08-26"
    source: a2008
    quote: "Ardia recognized Zed on 26 August 2008."
  - state: {members_of: pact, except: [ardia]}
    entity: zed
    status: not-yet
    source: a2008
    quote: "The other members of the Pact have yet to recognize Zed."
  - state: borsk
    entity: zed
    status: recognizes
    since: "2011"
    source: b2012
    quote: "Borsk recognized Zed in 2011."
  - state: borsk
    entity: zed
    status: recognizes
    since: "2011"
    until: "2013-07-12"
    source: c2014
    quote: "Borsk withdrew its recognition on July 12, 2013."
    note: "Since: 'Borsk recognized Zed in 2011.', b2012."
"""

SYNTHETIC = [
    (["members", "Pact", "--all"], "members", ("Pact",), {"all": True}),
    (["members", "Pact", "--as-of", "2008/2014", "--each-year", "--all"], "members",
     ("Pact",), {"as_of": "2008/2014", "each_year": True, "all": True}),
    (["members", "Pact", "--as-of", "2012", "--all", "--basis", "possible"], "members",
     ("Pact",), {"as_of": "2012", "all": True, "basis": "possible"}),
    (["members", "Union", "--all", "--source", "b2012"], "members", ("Union",),
     {"all": True, "source": "b2012"}),
    (["recognizes", "Zed", "--all"], "recognizes", ("Zed",), {"all": True}),
    (["recognizes", "Zed", "--as-of", "2012", "--all", "--known-at", "2012"], "recognizes",
     ("Zed",), {"as_of": "2012", "all": True, "known_at": "2012"}),
    (["recognizes", "Zed", "--as-of", "2009..2014", "--each-year", "--status", "recognizes"],
     "recognizes", ("Zed",), {"as_of": "2009..2014", "each_year": True,
                              "status": "recognizes"}),
    (["recognitions", "Borsk", "--all"], "recognitions", ("Borsk",), {"all": True}),
    (["memberships", "Cydon", "--all", "--as-of", "2013"], "memberships", ("Cydon",),
     {"all": True, "as_of": "2013"}),
    (["compare", "Pact", "Union", "--all"], "compare", ("Pact", "Union"), {"all": True}),
    (["shared", "Ardia", "Borsk", "--as-of", "2008"], "shared", ("Ardia", "Borsk"),
     {"as_of": "2008"}),
    (["timeline", "Zed"], "timeline", ("Zed",), {}),
    (["timeline", "Pact", "--known-at", "2012"], "timeline", ("Pact",), {"known_at": "2012"}),
    (["changes", "Pact", "--from", "2008", "--to", "2014", "--all"], "changes",
     ("Pact", "2008", "2014"), {"all": True}),
    (["changes", "Zed", "--from", "2008", "--to", "2012/2013"], "changes",
     ("Zed", "2008", "2012/2013"), {}),
    (["explain", "Cydon", "Pact", "--as-of", "2014"], "explain", ("Cydon", "Pact"),
     {"as_of": "2014"}),
    (["explain", "Borsk", "Zed"], "explain", ("Borsk", "Zed"), {}),
    (["disputes"], "disputes", (), {}),
    (["claims", "--source", "a2008"], "claims", ("a2008",), {}),
    (["search", "recogni"], "search", ("recogni",), {}),
    (["blocs"], "blocs", (), {}),
    (["states"], "states", (), {}),
    (["sources"], "sources", (), {}),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    # the synthetic fact bases of the engine tests: the same four states, Zed, Pact, Union
    from test_spells import base

    return base(tmp_path_factory.mktemp("api"), ARTICLES, FACTS)


@pytest.mark.parametrize("args, method, pos, kw", SYNTHETIC,
                         ids=[" ".join(c[0]) for c in SYNTHETIC])
def test_every_question_through_the_api_is_the_clis_json_on_a_synthetic_base(
        cli, synthetic, args, method, pos, kw):
    facts = alliances.open(synthetic)
    assert facts.problems == []  # every quote is in its article
    _compare(cli, facts, synthetic, args, method, pos, kw)


def test_the_synthetic_base_answers_what_its_articles_say(synthetic):
    facts = alliances.open(synthetic)
    # c2014: Borsk withdrew on 12 July 2013; a2008: Ardia recognised on 26 August 2008
    zed = {(r.state, r.status) for r in facts.recognizes("Zed", as_of="2014", all=True)}
    assert {("Ardia", "recognizes"), ("Borsk", "withdrawn")} <= zed
    borsk = facts.recognizes("Zed", as_of="2012")
    assert [r.state for r in borsk if r.status == "recognizes"] == ["Ardia", "Borsk"]
    # the citations say what each supports: Borsk's `not-yet` of 2008 beside its recognition
    said = {(c.id, c.status) for r in facts.recognizes("Zed", all=True) if r.state == "Borsk"
            for c in r.sources}
    assert ("a2008", "not-yet") in said and ("b2012", "recognizes") in said
    # Cydon leaves in 2012 (b2012) and the 2014 list leaves it out
    assert "Cydon" in {r.state for r in facts.members("Pact", as_of="2008")}
    assert "Cydon" not in {r.state for r in facts.members("Pact", as_of="2014")}
    assert facts.panel()[0].codes.keys() == {"pact", "union"}
    # 2012: Ardia and Borsk between a2008's and c2014's lists, with no end between them
    # (bracketed), Cydon's leaving stated
    assert {(r.state, r.basis) for r in facts.members("Pact", as_of="2012", all=True,
                                                      basis="bracketed")} == {
        ("Ardia", "bracketed"), ("Borsk", "bracketed")}


# -- typed rows -----------------------------------------------------------------------------
def test_row_types_are_the_declared_fields():
    for name, kind in KINDS.items():
        cls = alliances.ROW_TYPES[name]
        assert dataclasses.is_dataclass(cls) and cls.KIND == name
        declared = [f for f in kind.fields if f not in kind.flat_only]
        assert list(cls.FIELDS) == declared
        attrs = [f.name for f in dataclasses.fields(cls) if f.name != "_keys"]
        assert attrs == [f + "_" if f == "in" else f for f in declared]


@pytest.mark.shipped
def test_rows_are_typed_and_flat_dicts_are_the_csv(cli, shipped):
    rows = shipped.compare("CSTO", "SCO", as_of="2008")
    china = next(r for r in rows if r.state == "China")
    assert china["in"] == china.in_ == "only SCO"  # reuters-2008: "Russia, China and ..."
    assert isinstance(china.sources[0], alliances.Citation) and china.sources[0].quote
    with pytest.raises(dataclasses.FrozenInstanceError):
        china.state = "x"  # type: ignore[misc]
    flat = rows.to_dicts(flat=True)
    expected = list(csv.DictReader(io.StringIO(cli("compare", "CSTO", "SCO", "--as-of", "2008",
                                                   "-f", "csv").stdout)))
    assert [list(r) for r in flat] == [list(r) for r in expected]
    assert [{k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
             for k, v in r.items()} for r in flat] == expected
    assert isinstance(flat[0]["ccode"], int)


def test_bad_input_raises_the_clis_errors_named_as_python_names_them(shipped):
    with pytest.raises(alliances.NameNotFound, match="did you mean"):
        shipped.members("CSTOO")
    with pytest.raises(alliances.OptionError, match="invalid date for as_of: '2014/2005'"):
        shipped.members("CSTO", as_of="2014/2005")
    with pytest.raises(alliances.OptionError, match="unknown status 'memebr' for status"):
        shipped.members("CSTO", status="memebr")
    with pytest.raises(alliances.OptionError, match="unknown basis 'sure' for basis"):
        shipped.recognizes("Abkhazia", basis="sure")
    with pytest.raises(alliances.OptionError, match="each_year needs as_of"):
        shipped.members("CSTO", each_year=True)
    with pytest.raises(alliances.OptionError, match="after 2005 is before before 2014"):
        shipped.changes("CSTO", "2014", "2005")
    with pytest.raises(alliances.OptionError, match="unknown panel"):
        shipped.panel("year-state")
    with pytest.raises(alliances.EmptyName):
        shipped.members("")
    with pytest.raises(alliances.DataError, match="not found"):
        alliances.open("/nonexistent/facts")


def test_strict_refuses_unverified_data(tmp_path, synthetic):
    import shutil

    d = tmp_path / "edited"
    shutil.copytree(synthetic, d)
    text = d / "sources" / "a2008.txt"
    text.write_text(text.read_text("utf-8").replace("26 August", "27 August"), "utf-8")
    assert alliances.open(d).problems  # answers, and says what fails
    with pytest.raises(alliances.DataError, match="strict=True"):
        alliances.open(d, strict=True)


def test_pandas_takes_the_dicts():
    pd = pytest.importorskip("pandas")
    facts = alliances.open()
    rows = facts.members("CSTO", as_of="2008")
    df = pd.DataFrame(rows.to_dicts())
    assert list(df["state"]) == [r.state for r in rows]
    flat = pd.DataFrame(rows.to_dicts(flat=True))
    assert flat["ccode"].dtype.kind == "i" and "quotes" in flat.columns


# -- cheap to import, and nothing on a query's path -------------------------------------------
def _imported(code: str) -> set[str]:
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                       text=True, timeout=60, env={**os.environ, "ALLIANCES_DATA": ""})
    assert r.returncode == 0, r.stderr
    return {line.split("|")[-1].strip() for line in r.stderr.splitlines()
            if line.startswith("import time:") and "|" in line} - {"package"}


def test_import_alliances_is_cheap_and_the_cli_never_imports_the_api():
    bare = _imported("import alliances")
    assert {m for m in bare if m.startswith("alliances")} == {"alliances"}
    assert not bare & {"typer", "click", "rich", "yaml", "sqlite3", "pandas"}
    api = _imported("import alliances.api")
    assert "alliances.api" in api and not api & {"typer", "click", "rich", "pandas"}
    # a query's start-up: the command line imports nothing of the API (or of pandas);
    # sys.modules, since -X importtime does not see importlib's imports of command modules
    code = ("import sys; sys.argv = ['alliances', 'members', 'CSTO', '-f', 'json']\n"
            "from alliances.cli import main\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print(sorted(sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60, env={**os.environ, "ALLIANCES_DATA": ""})
    run = set(eval(r.stdout.splitlines()[-1]))
    assert "alliances.cli.questions" in run and "alliances.answers.query" in run
    assert not {m for m in run if m.startswith("alliances.api")} and "pandas" not in run


def test_docs_show_every_method_and_the_stable_surface():
    with open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8") as fh:
        page = fh.read()
    methods = [m for m in vars(alliances.Alliances) if not m.startswith("_")
               and callable(getattr(alliances.Alliances, m))]
    for m in methods:
        assert f"`{m}(" in page, m
    for name in alliances.api.__all__:
        assert f"`{name}" in page, name
    assert set(alliances.api.__all__) <= set(dir(alliances))
    assert "<!-- python: notebook -->" in page and "pd.DataFrame(" in page


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_opening_again_and_again_keeps_no_descriptor(tmp_path):
    """A notebook that calls alliances.open() in a loop: each fact base holds its cache
    folder's handle and its generation's lock while it can answer, and gives them back when
    it is gone (it kept two per call, and a long session ran out)."""
    import gc

    data = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "tests", "fixtures", "five-articles")
    a = alliances.open(data)
    assert a.members("CSTO", as_of="2008")  # a real answer, from the cache
    del a
    gc.collect()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(30):
        a = alliances.open(data)
        assert a.members("CSTO", as_of="2008")
        del a
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before + 2
