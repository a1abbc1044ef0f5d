"""acled.csv and the other exports, read as their users' tools read them: pandas for the ACLED
columns and codes, the geojson package for RFC 7946, pyarrow for Parquet, openpyxl for xlsx."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sitroom.export import export_all, export_file
from sitroom.outputs import acled
from sitroom.outputs.columns import code_sets
from sitroom.outputs.query import EventFilter, FilterError, events
from sitroom.store import open_store
from tests.report.fixture_store import build_fixture_store

# ACLED's export columns, in ACLED's order (ACLED Codebook, "ACLED data columns"); written out
# here, not read from the declaration, so that the declaration is checked against them.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp"]
INTER = ["State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
         "Protesters", "Civilians", "External/Other forces"]
DISORDER = {"Political violence", "Demonstrations", "Political violence; Demonstrations",
            "Strategic developments"}


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    out = build_fixture_store(tmp_path / "out")
    store = open_store(out)
    try:
        export_all(store, out)
    finally:
        store.close()
    return out


def check_acled_csv(path: Path) -> "object":
    pd = pytest.importorskip("pandas")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # byte-order mark: Excel reads UTF-8
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    assert list(frame.columns) == ACLED_COLUMNS
    assert frame["event_id_cnty"].str.fullmatch(r"[A-Z]{3}\d+").all()
    assert frame["event_id_cnty"].is_unique
    assert (frame["event_id_cnty"].str[:3] == frame["country"].map(
        lambda c: acled.country(c).iso3)).all()
    assert frame["event_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (frame["year"] == frame["event_date"].str[:4].astype(int)).all()
    assert set(frame["time_precision"]) <= {1, 2, 3}
    assert set(frame["disorder_type"]) <= DISORDER
    assert set(frame["event_type"]) <= set(code_sets()["event_type"].codes)
    assert set(frame["sub_event_type"]) <= set(code_sets()["sub_event_type"].codes)
    for column in ("inter1", "inter2"):
        assert set(frame[column].dropna()) <= set(INTER)
    for value in frame["interaction"].dropna():
        sides = value.removesuffix(" only").split("-") if value.endswith(" only") else \
            [value.split("-")[0], "-".join(value.split("-")[1:])]
        assert all(side in INTER for side in sides), value
    assert set(frame["civilian_targeting"].dropna()) <= {"Civilian targeting"}
    assert frame["iso"].dtype.kind == "i" and (frame["iso"] > 0).all()
    assert set(frame["region"]) <= set(code_sets()["region"].codes)
    assert frame["fatalities"].dtype.kind == "i" and (frame["fatalities"] >= 0).all()
    assert set(frame["geo_precision"].dropna()) <= {1, 2, 3}
    assert frame["notes"].str.match(r"^(On|Around|In) ").all() and frame["notes"].str.endswith(".").all()
    assert frame["timestamp"].dtype.kind == "i" and (frame["timestamp"] > 1_000_000_000).all()
    return frame


def test_acled_csv_has_every_acled_column_in_order_with_acled_codes(run_dir: Path) -> None:
    frame = check_acled_csv(run_dir / "acled.csv")
    # the undated event is left out (every ACLED row has a date); the others are there
    assert sorted(frame["event_id_cnty"].str[:3]) == ["AFG"] * 3
    blast = frame[frame["sub_event_type"] == "Remote explosive/landmine/IED"].iloc[0]
    assert blast["iso"] == 4 and blast["region"] == "South Asia"
    assert blast["disorder_type"] == "Political violence"
    assert blast["civilian_targeting"] == "Civilian targeting"  # actor2 is civilians
    assert blast["fatalities"] == 7 and blast["source"] == "AFP; Local News"
    assert blast["assoc_actor_2"] == "Hazara Ethnic Group (Afghanistan)"
    assert blast["assoc_actor_1"] != blast["assoc_actor_1"]  # none given: empty (NaN), as in ACLED
    assert blast["notes"] == ("On 28 June 2021, an explosive device planted by an unidentified "
                              "armed group hit civilians in Mazar-e-Sharif (Balkh); 7 people "
                              "were reported killed.")
    battle = frame[frame["event_type"] == "Battles"].iloc[0]
    assert battle["fatalities"] == 0  # none reported: ACLED writes 0
    assert battle["source_scale"] == "International"  # AFP


@pytest.mark.shared
def test_seeds_acled_csv(seeds_run: Path) -> None:
    frame = check_acled_csv(seeds_run / "acled.csv")
    assert len(frame) >= 10 and set(frame["country"]) == {"Afghanistan"}
    assert "State forces-Rebel group" in set(frame["interaction"])  # Taliban against the army


def test_events_geojson_is_valid_rfc7946(run_dir: Path) -> None:
    geojson = pytest.importorskip("geojson")
    for name, n in (("events.geojson", 3), ("control.geojson", 2)):
        data = geojson.loads((run_dir / name).read_text(encoding="utf-8"))
        assert data.is_valid, data.errors()
        assert data["type"] == "FeatureCollection" and "crs" not in data
        assert len(data["features"]) == n
    first = json.loads((run_dir / "events.geojson").read_text(encoding="utf-8"))["features"][0]
    assert first["id"] == "E-battle"
    assert first["geometry"]["coordinates"] == [68.61, 37.18]  # longitude first
    assert first["properties"]["article_ids"] == ["a1", "a2"]


def test_parquet_round_trips(run_dir: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    store = open_store(run_dir, readonly=True)
    try:
        assert export_file(store, "parquet", tmp_path / "e.parquet") == 4
        want = list(events(store))
    finally:
        store.close()
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.schema.field("article_ids").type.value_type.equals(
        pytest.importorskip("pyarrow").string())
    assert table.to_pylist() == want


def test_xlsx_holds_the_rows_and_the_column_dictionary(run_dir: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    store = open_store(run_dir, readonly=True)
    try:
        assert export_file(store, "xlsx", tmp_path / "e.xlsx") == 4
    finally:
        store.close()
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    sheet = book["events"]
    rows = list(sheet.values)
    assert rows[0][:2] == ("event_id", "event_date") and len(rows) == 5
    assert rows[1][rows[0].index("article_ids")] == "a1;a2"
    assert {r[0] for r in list(book["columns"].values)[1:]} >= {"event_id", "notes", "trace"}


def _ids(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [r["event_id"] for r in csv.DictReader(fh)]


def test_filtered_export_gives_exactly_the_matching_rows(run_dir: Path, tmp_path: Path) -> None:
    store = open_store(run_dir, readonly=True)
    try:
        def exported(**kw: str) -> list[str]:
            export_file(store, "csv", tmp_path / "f.csv", EventFilter(**kw))
            return _ids(tmp_path / "f.csv")

        assert exported(admin1="kunduz") == ["E-battle", "E-undated"]
        assert exported(date_from="2021-06-23", date_to="2021-07-03") == ["E-blast", "E-hostile"]
        assert exported(country="AFGHANISTAN", event_type="battles") == ["E-battle"]
        with pytest.raises(FilterError):
            exported(date_from="2021-07-01", date_to="2021-06-01")
    finally:
        store.close()


@pytest.mark.shared
def test_filtered_export_of_the_seeds_by_date_and_admin1(seeds_run: Path, tmp_path: Path) -> None:
    """The CLI's export of the seeds from 2021-06-20 to 2021-07-05 in Kunduz holds exactly the
    rows of events.csv that match, in every format."""
    from sitroom.cli import main

    with (seeds_run / "events.csv").open(newline="", encoding="utf-8-sig") as fh:
        every = list(csv.DictReader(fh))
    want = [r["event_id"] for r in every if r["admin1"] == "Kunduz"
            and "2021-06-20" <= r["event_date"][:10] <= "2021-07-05"]
    assert want and len(want) < len(every)
    args = ["export", str(seeds_run), "--from", "2021-06-20", "--to", "2021-07-05",
            "--admin1", "kunduz"]
    assert main([*args, "--format", "csv", "-o", str(tmp_path / "k.csv")]) == 0
    assert _ids(tmp_path / "k.csv") == want
    assert main([*args, "--format", "geojson", "-o", str(tmp_path / "k.geojson")]) == 0
    features = json.loads((tmp_path / "k.geojson").read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in features] == [i for i in want if any(
        r["event_id"] == i and r["latitude"] for r in every)]
    assert main([*args, "--format", "acled", "-o", str(tmp_path / "k_acled.csv")]) == 0
    frame = check_acled_csv(tmp_path / "k_acled.csv")
    assert len(frame) == len(want)
    assert main([*args, "--format", "parquet", "-o", str(tmp_path / "k.parquet")]) == 0
    pq = pytest.importorskip("pyarrow.parquet")
    assert pq.read_table(tmp_path / "k.parquet").column("event_id").to_pylist() == want


def test_export_command_refuses_what_cannot_mean_anything(run_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from sitroom.cli import main

    assert main(["export", str(tmp_path / "nowhere"), "--format", "csv"]) == 2
    assert main(["export", str(run_dir), "--format", "csv", "--from", "2021-13-01"]) == 2
    assert main(["export", str(run_dir), "--format", "geojson", "--table", "quotes"]) == 2
    assert main(["export", str(run_dir), "--format", "csv", "--table", "quotes",
                 "--admin1", "x"]) == 2
    err = capsys.readouterr().err
    assert "no store" in err and "not a date" in err and "no GeoJSON" in err
    # a filtered export never overwrites the run's own events.csv, acled.csv or events.geojson
    own = {name: (run_dir / name).read_bytes() for name in ("events.csv", "acled.csv", "events.geojson")}
    assert main(["export", str(run_dir), "--format", "csv", "--admin1", "herat"]) == 0
    assert _ids(run_dir / "events-filtered.csv") == ["E-hostile"]
    assert main(["export", str(run_dir), "--format", "acled", "--admin1", "herat"]) == 0
    assert main(["export", str(run_dir), "--format", "geojson", "--admin1", "herat"]) == 0
    assert [f["id"] for f in json.loads((run_dir / "events-filtered.geojson").read_text())["features"]] \
        == ["E-hostile"]
    assert len((run_dir / "acled-filtered.csv").read_text(encoding="utf-8-sig").splitlines()) == 2
    assert {name: (run_dir / name).read_bytes() for name in own} == own


def test_derived_columns_follow_acled_conventions() -> None:
    assert acled.interaction("Rebel group", "State forces") == "State forces-Rebel group"
    assert acled.interaction("Protesters", "") == "Protesters only"
    assert acled.interaction("", "") == ""
    assert acled.disorder_type("Riots", "Mob violence") == "Political violence; Demonstrations"
    assert acled.disorder_type("Protests", "Peaceful protest") == "Demonstrations"
    assert acled.country("afghanistan").numeric == 4
    assert acled.country("India").region == "South Asia"
    assert acled.country("Iran").region == "Middle East"
    assert acled.country("Nowhere Land") is None
    assert acled.source_scale(["AFP", "TOLOnews", "Unknown Blog"], "AF") == "National-International"
    assert acled.event_id_cnty("EV00000000ff", "AFG") == "AFG255"
    record = {"event_id": "EV1", "event_date": "2021-07", "time_precision": 3,
              "event_type": "Strategic developments", "sub_event_type": "Other",
              "claim_status": "reported", "fatalities": None}
    assert acled.summary(record) == "In July 2021, a strategic development took place."
    row = acled.acled_row(acled.derive({**record, "country": "Afghanistan", "article_ids": [],
                                        "sources": []}, []))
    assert row is not None and row["event_date"] == "2021-07-15" and row["fatalities"] == 0
