"""The compiled cache: never stale, never inside the package or the data directory, and
the tool still works when the cache cannot be written."""

from __future__ import annotations

import os


def snapshot(path):
    return sorted(os.path.relpath(os.path.join(d, f), path)
                  for d, _, files in os.walk(path) for f in files)


def test_an_edit_is_seen_on_the_next_call(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    assert "Serbia" in cli.names("members", "CSTO", "--as-of", "2014", "--all", "--data", data_copy)
    # Same size, written at once: only the content tells the change apart.
    blocs.write_text(blocs.read_text("utf-8").replace("{name: Serbia}", "{name: Serbie}"), "utf-8")
    assert "Serbie" in cli.names("members", "CSTO", "--as-of", "2014", "--all", "--data", data_copy)
    # The same data again, from the cache now.
    assert "Serbie" in cli.names("members", "CSTO", "--as-of", "2014", "--all", "--data", data_copy)


def test_an_edit_with_an_unchanged_mtime_is_still_seen(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    cli("members", "CSTO", "--data", data_copy)
    st = os.stat(blocs)
    blocs.write_text(blocs.read_text("utf-8").replace("{name: Syria}", "{name: Sirya}"), "utf-8")
    os.utime(blocs, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    rows = cli.json("recognizes", "Abkhazia", "--all", "--data", data_copy)
    assert "Sirya" in {r["state"] for r in rows}


def test_cache_lives_in_the_cache_directory_only(cli, data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(cache))
    before = snapshot(data_copy)
    cli("members", "CSTO", "--data", data_copy)
    cli("members", "CSTO", "--data", data_copy)
    assert snapshot(data_copy) == before
    files = snapshot(cache)
    assert any(f.endswith("index.pickle") for f in files)
    import alliances

    package = os.path.dirname(alliances.__file__)
    assert not any(f.endswith(".pickle") for f in snapshot(package))


def test_works_when_the_cache_cannot_be_written(cli, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(blocker / "cache"))
    assert "Russia" in cli.names("members", "CSTO", "--as-of", "2008")


def test_a_corrupt_cache_is_rebuilt(cli, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(cache))
    cli("members", "CSTO")
    for f in snapshot(cache):
        (cache / f).write_bytes(b"garbage")
    assert "Russia" in cli.names("members", "CSTO", "--as-of", "2008")


def test_queries_from_the_cache_match_the_yaml(cli, monkeypatch):
    args = [("members", "CSTO", "--as-of", "2014"), ("recognizes", "South Ossetia", "--all"),
            ("memberships", "Georgia", "--all"), ("disputes",), ("timeline", "Russia"),
            ("claims", "--source", "outline-2014")]
    cached = [cli.json(*a) for a in args]
    cached_again = [cli.json(*a) for a in args]
    monkeypatch.setenv("ALLIANCES_NO_CACHE", "1")
    assert cached == cached_again == [cli.json(*a) for a in args]


def test_shards_removed_by_a_newer_generation_fall_back_to_the_yaml(cli, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(cache))
    expected = cli.json("members", "CSTO", "--as-of", "2014")
    for f in snapshot(cache):
        if not f.endswith("index.pickle"):
            (cache / f).unlink()  # as another process's rebuild would
    assert cli.json("members", "CSTO", "--as-of", "2014") == expected
    assert [r["state"] for r in cli.json("disputes")] == ["Uzbekistan"]
