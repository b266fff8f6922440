"""The Screener: every traveller in comes out screened or rejected; hits are traceable."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paxscreen as px
import paxscreen.compare.documents as documents_module
import paxscreen.compare.names as names_module
from paxscreen.evaluate import evaluate
from paxscreen.screen import HITS, REJECTS, _name_of, _name_text, _partial, _partial_of

FLIGHT300 = Path(__file__).resolve().parents[1] / "data" / "synthetic" / "flight300"


@pytest.fixture(scope="module")
def scenario() -> tuple[px.Screener, pl.DataFrame, pl.DataFrame]:
    watchlist = pl.read_parquet(FLIGHT300 / "watchlist.parquet")
    travellers = pl.read_parquet(FLIGHT300 / "travellers.parquet")
    truth = pl.read_parquet(FLIGHT300 / "truth.parquet")
    return px.Screener(watchlist, FLIGHT300 / "documents.parquet"), travellers, truth


@pytest.fixture(scope="module")
def result(scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame]) -> px.ScreenResult:
    screener, travellers, _ = scenario
    return screener.screen(travellers)


def test_hits_and_rejects_have_the_documented_columns(result: px.ScreenResult) -> None:
    assert result.hits.schema == HITS
    assert result.rejects.schema == REJECTS
    assert result.hits.height > 0
    assert result.hits["band"].is_in(["alert", "review"]).all()
    assert result.hits["score"].is_between(0, 1).all()
    assert result.hits["reasons"].list.len().min() >= 1  # type: ignore[operator]


def test_every_traveller_is_screened_or_rejected(result: px.ScreenResult) -> None:
    summary = result.summary
    assert summary["travellers"] == 300
    assert summary["screened"] + summary["rejected"] == summary["travellers"]
    assert summary["alerts"] + summary["reviews"] == summary["hits"] == result.hits.height
    assert summary["config_hash"] == px.ScreenConfig().config_hash()
    assert len(summary["list_sha256"]) == 64 and summary["version"] == px.__version__
    assert len(summary["documents_sha256"]) == 64
    assert set(result.hits["list_sha256"]) == {summary["list_sha256"], summary["documents_sha256"]}


def test_the_planted_watchlist_hits_are_found_and_innocents_spared(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame], result: px.ScreenResult
) -> None:
    _, _, truth = scenario
    report = evaluate(result, truth)
    kinds = report.filter(pl.col("dimension") == "corruption")
    found = (kinds["planted"] * kinds["recall_review"]).sum()
    assert found / kinds["planted"].sum() >= 0.95
    overall = report.filter(pl.col("dimension") == "all").row(0, named=True)
    assert overall["false_alerts_per_1000"] <= 5


def test_one_traveller_at_a_time_gives_the_batch_hits(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame], result: px.ScreenResult
) -> None:
    screener, travellers, _ = scenario
    for record_id in result.hits["record_id"].unique().sort()[:5]:
        alone = screener.screen(travellers.filter(pl.col("record_id") == record_id)).hits
        batch = result.hits.filter(pl.col("record_id") == record_id)
        assert (
            alone.select("entry_id", "band")
            .sort("entry_id")
            .equals(batch.select("entry_id", "band").sort("entry_id"))
        )


#: Every name as rare as names get. A name's commonness depends on the batch it is screened in
#: (its tokens count among all names seen, the travellers' too), so only where it cannot does
#: one traveller alone get exactly the hits the flight gives it.
BATCH_FREE = px.ScreenConfig(common_name_bearers=1e13, rare_name_bearers=1e12)


@pytest.fixture(scope="module")
def batch_free() -> px.Screener:
    watchlist = pl.read_parquet(FLIGHT300 / "watchlist.parquet")
    return px.Screener(watchlist, FLIGHT300 / "documents.parquet", config=BATCH_FREE)


def one_at_a_time(screener: px.Screener, travellers: pl.DataFrame) -> px.ScreenResult:
    """Each traveller screened alone, the results in the flight's order."""
    alone = [screener.screen(travellers.slice(i, 1)) for i in range(travellers.height)]
    return px.ScreenResult(
        hits=pl.concat([result.hits for result in alone]),
        rejects=pl.concat([result.rejects for result in alone]),
    )


def test_one_traveller_at_a_time_gives_the_flight_hits_exactly(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame], batch_free: px.Screener
) -> None:
    _, travellers, _ = scenario
    travellers = pl.concat([travellers, travellers.head(3).with_columns(family_name=None)])
    flight = batch_free.screen(travellers)
    alone = one_at_a_time(batch_free, travellers)
    assert alone.hits.equals(flight.hits)
    assert alone.rejects.equals(flight.rejects)
    assert set(flight.hits["list"]) == {"watchlist", "documents"}
    assert flight.hits["name_commonness"].drop_nulls().max() == 0.0


_WATCHLIST = pl.read_parquet(FLIGHT300 / "watchlist.parquet")
_LISTED = _WATCHLIST.filter(pl.col("name_type") != "weak_alias").to_dicts()


def _misspelt(rng: random.Random, name: str | None) -> str | None:
    if not name or rng.random() < 0.5:
        return name
    i = rng.randrange(len(name))
    return name[:i] + rng.choice("AEIOUNRST") + name[i + 1 :]


@st.composite
def generated_travellers(draw: st.DrawFn) -> pl.DataFrame:
    """Listed people as they travel: names misspelt, swapped or cut to an initial, dates of
    birth and document numbers kept, shifted or left out, sexes and nationalities any."""
    rng = draw(st.randoms(use_true_random=False))
    rows = []
    for k in range(draw(st.integers(1, 8))):
        listed = rng.choice(_LISTED)
        given, family = _misspelt(rng, listed["given_names"]), _misspelt(rng, listed["family_name"])
        if rng.random() < 0.2:
            given, family = family, given
        if given and rng.random() < 0.1:
            given = given[0]
        dob = (
            date.fromisoformat(listed["dob"])
            if listed["dob"] and len(listed["dob"]) == 10
            else None
        )
        if dob is not None and rng.random() < 0.4:
            dob += timedelta(days=rng.choice([1, 31, 365, 3650]))
        number = listed["doc_number"] if rng.random() < 0.7 else None
        if number and rng.random() < 0.5:
            number = number[1] + number[0] + number[2:]
        rows.append(
            {
                "record_id": f"g{k}",
                "given_names": given if rng.random() < 0.95 else None,
                "family_name": family,
                "dob": dob if rng.random() < 0.9 else None,
                "sex": rng.choice([listed["sex"], "M", "F", "X", None]),
                "nationality": rng.choice([listed["nationality"], "FRA", None]),
                "doc_number": number,
                "doc_issuer": listed["doc_issuer"],
            }
        )
    return pl.DataFrame(rows, schema_overrides={"dob": pl.Date}, infer_schema_length=None)


@given(travellers=generated_travellers())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_travellers_alone_get_the_hits_of_their_flight(
    batch_free: px.Screener, travellers: pl.DataFrame
) -> None:
    flight = batch_free.screen(travellers).hits
    assert one_at_a_time(batch_free, travellers).hits.equals(flight)


@pytest.mark.parametrize("batch_size", [-1, 10**9], ids=["arrays", "pair by pair"])
def test_small_and_large_batches_give_the_same_hits(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame],
    result: px.ScreenResult,
    batch_size: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Token similarities and document levels of few pairs are computed pair by pair in Python,
    of many over arrays: forcing either path everywhere changes no hit."""
    screener, travellers, _ = scenario
    some = travellers.gather(range(0, travellers.height, 7))
    alone = one_at_a_time(screener, some)
    for module, name in (
        (names_module, "_SMALL_TOKEN_BATCH"),
        (documents_module, "_SMALL_BATCH"),
    ):
        monkeypatch.setattr(module, name, batch_size)
    assert screener.screen(travellers).hits.equals(result.hits)
    assert one_at_a_time(screener, some).hits.equals(alone.hits)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.sampled_from(["same", "ocr", "zeros", "punctuation", "edit", "other"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_only_numbers_that_may_be_listed_are_looked_up(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame],
    numbers: list[tuple[int, str]],
) -> None:
    """The document channel looks up only the numbers whose folded or zero-stripped key is a
    listed one's: it must miss nothing the lookup of every number finds."""
    screener, _, _ = scenario
    listed = _WATCHLIST["doc_number"].drop_nulls().to_list()
    probes = []
    for choice, how in numbers:
        number = listed[choice % len(listed)]
        if how == "ocr":
            number = number.replace("0", "O").replace("1", "I").replace("8", "B")
        elif how == "zeros":
            number = number.lstrip("0") if number.startswith("0") else "00" + number
        elif how == "punctuation":
            number = f" {number[:3].lower()}-{number[3:]}<<"
        elif how == "edit":
            number = number[:-1] + "X"
        elif how == "other":
            number = f"{choice:09d}"
        probes.append(number)
    found = screener._listed_documents.lookup(probes, fuzzy=False)
    looked_up = set(screener._identities.may_hold(probes).tolist())
    assert set(found["probe"].to_list()) <= looked_up
    kept = {k for k, (_, how) in enumerate(numbers) if how in ("same", "ocr", "punctuation")}
    assert kept <= looked_up


def test_hits_are_by_traveller_best_first_then_in_list_order(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame], result: px.ScreenResult
) -> None:
    _, travellers, _ = scenario
    traveller = {r: i for i, r in enumerate(travellers["record_id"])}
    entry = {e: i for i, e in enumerate(_WATCHLIST["entry_id"].unique(maintain_order=True))}
    hits = result.hits.select(
        traveller=pl.col("record_id").replace_strict(traveller),
        watchlist=pl.col("list") == "watchlist",
        score="score",
        entry=pl.col("entry_id").replace_strict(entry, default=None),
    )
    by_traveller = hits.sort(["traveller", "score"], descending=[False, True], maintain_order=True)
    assert by_traveller.equals(hits)  # watchlist hits before document hits of the same score
    listed = hits.filter("watchlist")
    assert listed.sort(["traveller", "score", "entry"], descending=[False, True, False]).equals(
        listed
    )


@given(
    st.lists(
        st.tuples(*[st.none() | st.text(" AB", max_size=3) | st.sampled_from(["FNU", " lnu"])] * 3),
        max_size=20,
    )
)
def test_a_traveller_name_reads_as_a_listed_name(rows: list[tuple[str | None, ...]]) -> None:
    frame = pl.DataFrame(
        rows, schema=dict.fromkeys(["given", "family", "full"], pl.String), orient="row"
    )
    names = frame.select(_name_text(pl.col("given"), pl.col("family"), pl.col("full")))
    assert [_name_of(*row) for row in rows] == names.to_series().to_list()


@given(
    st.lists(st.tuples(*[st.sampled_from([None, "", " ", "ANNA", "DE LA", "FNU"])] * 2), max_size=8)
)
def test_partial_names_are_told_alike_in_polars_and_python(
    rows: list[tuple[str | None, ...]],
) -> None:
    frame = pl.DataFrame(rows, schema={"given": pl.String, "family": pl.String}, orient="row")
    partial = frame.select(_partial(pl.col("given"), pl.col("family"))).to_series().to_list()
    assert partial == [_partial_of(given, family) for given, family in rows]


def test_dates_of_birth_as_datetimes_and_columns_of_nulls_screen_the_same(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame], result: px.ScreenResult
) -> None:
    screener, travellers, _ = scenario
    as_datetimes = travellers.with_columns(pl.col("dob").cast(pl.Datetime))
    assert screener.screen(as_datetimes).hits.equals(result.hits)
    bare = travellers.select("record_id", "given_names", "family_name", "dob")
    nulls = bare.with_columns(sex=None, doc_number=None, documents=None)
    assert screener.screen(nulls).hits.equals(screener.screen(bare).hits)


def test_explain_gives_the_evidence(result: px.ScreenResult) -> None:
    record_id = result.hits["record_id"][0]
    text = result.explain(record_id)
    assert text.startswith(f"{record_id}:") and "name similarity" in text
    assert result.explain("no-such-record") == "no-such-record: no hits"


def test_travellers_without_name_or_document_are_rejected_with_a_reason() -> None:
    watchlist = pl.DataFrame({"entry_id": ["E1"], "full_name": ["MARIA GARCIA"]})
    travellers = pl.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "given_names": ["MARIA", None, "---"],
            "family_name": ["GARCIA", None, None],
            "doc_number": [None, None, None],
            "dob": [date(1975, 3, 7), None, None],
        }
    )
    result = px.Screener(watchlist).screen(travellers)
    assert result.rejects["record_id"].to_list() == ["b", "c"]
    assert result.rejects["reason"].unique().to_list() == ["no usable name and no document number"]
    assert result.summary["screened"] == 1 and result.summary["rejected"] == 2
    assert "not screened" in result.explain("b")


def test_a_frame_without_record_ids_is_refused_without_personal_data() -> None:
    screener = px.Screener(pl.DataFrame({"entry_id": ["E1"], "full_name": ["MARIA GARCIA"]}))
    with pytest.raises(px.SchemaError) as caught:
        screener.screen(pl.DataFrame({"family_name": ["GARCIA"]}))
    assert "GARCIA" not in str(caught.value)


def test_the_config_changes_the_hash_and_is_validated() -> None:
    assert px.ScreenConfig().config_hash() == px.ScreenConfig().config_hash()
    assert px.ScreenConfig(alert_threshold=0.95).config_hash() != px.ScreenConfig().config_hash()
    with pytest.raises(px.ConfigError):
        px.ScreenConfig(alert_threshold=0.5, review_threshold=0.8)
    with pytest.raises(px.ConfigError):
        px.ScreenConfig(dob_weights={"exact": 0.1})
    with pytest.raises(px.ConfigError):
        px.ScreenConfig(common_name_bearers=0.001, rare_name_bearers=0.01)


def test_commonness_counts_the_lists_namesakes() -> None:
    # a name of one frequency is commoner on a longer list: it holds more namesakes
    config = px.ScreenConfig()
    commonness = {}
    for names in (1_000, 100_000):
        listed = pl.DataFrame({"entry_id": [f"E{i}" for i in range(names)]}).with_columns(
            full_name=pl.lit("ANNA ") + pl.col("entry_id")
        )
        screener = px.Screener(listed, config=config)
        commonness[names] = screener._commonness(np.array([7.0, 20.0, 0.0]))
    # expected bearers 10**-7 * names: 1e-4 (below rare_name_bearers) and 1e-2
    assert commonness[1_000].tolist() == [0.0, 0.0, 1.0]
    expected = math.log10(1e-2 / config.rare_name_bearers) / math.log10(
        config.common_name_bearers / config.rare_name_bearers
    )
    assert math.isclose(commonness[100_000][0], expected)
    assert commonness[100_000][1] == 0.0 and commonness[100_000][2] == 1.0


def test_other_readings_of_a_name_are_no_more_namesakes() -> None:
    # a name in Cyrillic is indexed under three more spellings: the list still holds as many
    # names, and a name of a given rarity is as common, as with a Latin name in its place
    commonness = []
    for other in ("JOHN SMITH", "Сергей Евгеньевич Кузьмин"):
        listed = pl.DataFrame(
            {"entry_id": ["E1", "E2", "E3"], "full_name": ["ANNA IVANOVA", "ANNA PETROVA", other]}
        )
        screener = px.Screener(listed)
        assert len(screener._names) == (3 if other == "JOHN SMITH" else 6)  # (with readings)
        commonness.append(screener._commonness(np.array([2.0])).tolist())
    assert commonness[0] == commonness[1] and 0 < commonness[0][0] < 1


def test_a_name_in_cyrillic_is_found_under_german_english_and_french_spellings() -> None:
    born = "1975-03-07"
    listed = pl.DataFrame(
        {
            "entry_id": ["E1", "E2", "E3"],
            "full_name": ["Сергей Васильев", "Евгений Евтушенко", "Никита Хрущёв"],
            "dob": [born] * 3,
        }
    )
    spellings = [
        ("SERGEJ", "WASSILJEW", "E1"),
        ("SERGEY", "VASILYEV", "E1"),
        ("SERGUEI", "VASSILIEV", "E1"),
        ("JEWGENIJ", "JEWTUSCHENKO", "E2"),
        ("NIKITA", "CHRUSCHTSCHOW", "E3"),
    ]
    travellers = pl.DataFrame(
        {
            "record_id": [str(k) for k in range(len(spellings))],
            "given_names": [given for given, _, _ in spellings],
            "family_name": [family for _, family, _ in spellings],
            "dob": [date.fromisoformat(born)] * len(spellings),
        }
    )
    hits = px.Screener(listed).screen(travellers).hits
    assert hits.select("record_id", "entry_id", "band").rows() == [
        (str(k), entry, "alert") for k, (_, _, entry) in enumerate(spellings)
    ]
    assert set(hits["matched_name"]) == set(listed["full_name"])  # (as the list writes them)


def test_names_in_an_abjad_are_also_read_as_another_language_reads_them() -> None:
    # رضا is RD read as Arabic and RZ as Persian; وحید has the V Persian writes with و;
    # Hebrew's ו is a vowel in most names, V in DAVID LEVI
    born = ["1970-01-02", "1981-03-04", "1995-08-26", "1960-05-06", "1977-07-07"]
    nationality = ["IRN", "IRN", "IRN", "IRN", "ISR"]
    listed = pl.DataFrame(
        {
            "entry_id": ["E1", "E2", "E3", "E4", "E5"],
            "given_names": ["رضا", "وحید", "مرتضی ذکی", "محمد", "דוד"],
            "family_name": ["احمدی", "جوادی", "نوری", "قاسمی", "לוי"],
            "dob": born,
            "nationality": nationality,
        }
    )
    travellers = pl.DataFrame(
        {
            "record_id": ["a", "b", "c", "d", "e"],
            "given_names": ["REZA", "VAHID", "MORTEZA ZEKI", "MOHAMMAD", "DAVID"],
            "family_name": ["AHMADI", "JAVADI", "NOORI", "GHASEMI", "LEVI"],
            "dob": [date.fromisoformat(day) for day in born],
            "nationality": nationality,
        }
    )
    hits = px.Screener(listed).screen(travellers).hits
    assert hits.select("record_id", "entry_id", "band").rows() == [
        ("a", "E1", "alert"),
        ("b", "E2", "alert"),
        ("c", "E3", "alert"),
        ("d", "E4", "alert"),
        ("e", "E5", "alert"),
    ]  # each identity once, though listed under two readings
    written = listed.select(pl.concat_str("given_names", "family_name", separator=" "))
    assert hits["matched_name"].to_list() == written.to_series().to_list()


def test_a_saved_screener_loads_and_screens_the_same(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame],
    result: px.ScreenResult,
    tmp_path: Path,
) -> None:
    built, travellers, _ = scenario
    built.save(tmp_path / "screener")
    loaded = px.Screener.load(tmp_path / "screener")
    expected = result
    got = loaded.screen(travellers)
    assert got.hits.drop("reasons").equals(expected.hits.drop("reasons"))
    assert got.hits["reasons"].to_list() == expected.hits["reasons"].to_list()
    assert loaded.list_sha256 == built.list_sha256
    assert got.summary["config_hash"] == expected.summary["config_hash"]
    assert not expected.hits.is_empty()
    with pytest.raises(FileExistsError):
        built.save(tmp_path / "screener")


def test_lost_documents_are_found_with_their_level_and_status(
    scenario: tuple[px.Screener, pl.DataFrame, pl.DataFrame], result: px.ScreenResult
) -> None:
    _, _, truth = scenario
    planted = truth.filter(pl.col("list") == "documents")
    assert planted.height > 0
    listed = pl.read_parquet(FLIGHT300 / "documents.parquet").select(
        entry_id="record_ref", listed_status="status"
    )
    hits = result.hits.filter(pl.col("list") == "documents")
    found = planted.join(hits, on=["record_id", "entry_id"]).join(listed, on="entry_id")
    assert found.height == planted.height  # every planted lost document, on its own record
    expected = {"lost_exact": ["exact"], "lost_ocr": ["confusable"]}
    for row in found.iter_rows(named=True):
        levels = expected.get(row["corruption"], ["transposition", "one_edit"])
        assert row["doc_level"] in levels
        assert row["doc_status"] == row["listed_status"]
        assert row["band"] == ("alert" if row["corruption"] != "lost_edit" else "review")
        assert row["reasons"][0].startswith("document number")
    assert hits["matched_name"].is_null().all() and hits["name_similarity"].is_null().all()
    text = result.explain(hits["record_id"][0])
    assert "~ a listed document" in text and "on the document list" in text


_LOST = pl.DataFrame(
    {
        "doc_number": ["X1234567", "A7654321", "0012345678"],
        "doc_issuer": ["FRA", "DEU", "ITA"],
        "doc_type": ["P", "P", "P"],
        "status": ["stolen", "lost", "revoked"],
        "record_ref": ["S1", "S2", "S3"],
    }
)


@pytest.mark.parametrize(
    ("number", "issuer", "band", "level", "why"),
    [
        ("X1234567", "FRA", "alert", "exact", "the listed number and issuer"),
        ("X1Z34567", "FRA", "alert", "confusable", "an OCR look-alike (2/Z)"),
        ("X1234567", "ESP", "review", "exact", "another issuer: weaker, not nothing"),
        ("X1234568", "FRA", "review", "one_edit", "one keying slip"),
        ("X1234568", "ESP", None, None, "one slip under another issuer is no hit"),
        ("X2134567", "FRA", "review", "transposition", "two neighbours swapped"),
        ("12345678", "ITA", "alert", "leading_zeros", "leading zeros dropped"),
        ("X9999999", "FRA", None, None, "an unlisted number"),
    ],
)
def test_document_list_match_cases(
    number: str, issuer: str, band: str | None, level: str | None, why: str
) -> None:
    watchlist = pl.DataFrame({"entry_id": ["E1"], "full_name": ["MARIA GARCIA"]})
    travellers = pl.DataFrame(
        {
            "record_id": ["r1"],
            "family_name": ["DUPONT"],
            "given_names": ["JEAN"],
            "doc_number": [number],
            "doc_issuer": [issuer],
            "doc_type": ["P"],
        }
    )
    hits = px.Screener(watchlist, _LOST).screen(travellers).hits
    if band is None:
        assert hits.is_empty(), why
        return
    assert hits.select("list", "band", "doc_level").row(0) == ("documents", band, level), why
    assert hits["entry_id"][0] in {"S1", "S3"}


def test_every_document_of_a_traveller_is_checked() -> None:
    watchlist = pl.DataFrame({"entry_id": ["E1"], "full_name": ["MARIA GARCIA"]})
    visa = {"doc_type": "V", "doc_number": "A7654321", "doc_issuer": "DEU", "doc_expiry": None}
    passport = {"doc_type": "P", "doc_number": "C0000001", "doc_issuer": "FRA", "doc_expiry": None}
    travellers = pl.DataFrame(
        {
            "record_id": ["r1"],
            "family_name": ["DUPONT"],
            "doc_number": ["C0000001"],
            "doc_issuer": ["FRA"],
            "documents": [[passport, visa]],
        }
    )
    hits = px.Screener(watchlist, _LOST).screen(travellers).hits
    # the visa's number is listed as a passport: the type differs, the number still counts
    assert hits.select("entry_id", "band", "doc_status").rows() == [("S2", "alert", "lost")]
    assert any("document type differs" in r for r in hits["reasons"][0])


def test_document_hits_are_each_record_once_per_traveller_best_first_and_cut() -> None:
    # r1 holds the stolen passport itself (exact, 1.0) and a visa one character off it (0.8):
    # the record is one hit, at its best; the lost one (one character off, 0.8) follows. r2
    # holds two records' numbers exactly: equal scores in the order of its documents. At most
    # three hits per traveller, then one
    watchlist = pl.DataFrame({"entry_id": ["E1"], "full_name": ["MARIA GARCIA"]})

    def document(number: str, issuer: str, kind: str = "P") -> dict[str, str | None]:
        return {"doc_type": kind, "doc_number": number, "doc_issuer": issuer, "doc_expiry": None}

    travellers = pl.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "family_name": ["DUPONT", "MARTIN"],
            "doc_number": ["X1234568", "0012345678"],
            "doc_issuer": ["FRA", "ITA"],
            "documents": [
                [
                    document("X1234568", "FRA", "V"),
                    document("X1234567", "FRA"),
                    document("A7654322", "DEU"),
                ],
                [document("0012345678", "ITA"), document("X1234567", "FRA")],
            ],
        }
    )
    for most, expected in (
        (3, [("r1", "S1", 1.0), ("r1", "S2", 0.8), ("r2", "S3", 1.0), ("r2", "S1", 1.0)]),
        (1, [("r1", "S1", 1.0), ("r2", "S3", 1.0)]),
    ):
        screener = px.Screener(
            watchlist, _LOST, config=px.ScreenConfig(max_hits_per_traveller=most)
        )
        hits = screener.screen(travellers).hits
        assert hits.select("record_id", "entry_id", "score").rows() == expected, most


def test_a_document_index_can_be_passed_built(tmp_path: Path) -> None:
    from paxscreen.index.documents import DocumentIndex

    DocumentIndex.build(_LOST).save(tmp_path / "sltd")
    watchlist = pl.DataFrame({"entry_id": ["E1"], "full_name": ["MARIA GARCIA"]})
    screener = px.Screener(watchlist, DocumentIndex.open(tmp_path / "sltd"))
    travellers = pl.DataFrame({"record_id": ["r1"], "doc_number": ["A7654321"]})
    result = screener.screen(travellers)
    assert result.hits["entry_id"].to_list() == ["S2"]
    assert result.summary["documents_sha256"] is None  # built elsewhere: not known here
