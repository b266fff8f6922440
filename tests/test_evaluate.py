"""evaluate() and evaluation_report(): numbers worked out by hand, errors, and properties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen.errors import SchemaError
from paxscreen.evaluate import EVALUATION, TRUTH, evaluate, evaluation_report

HITS = {"record_id": pl.String, "list": pl.String, "entry_id": pl.String, "band": pl.String}


def _truth(rows: list[tuple[str | None, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=TRUTH, orient="row")


def _hits(rows: list[tuple[str | None, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=HITS, orient="row")


# Ten travellers: 4 planted (corruptions exact/typo1, name groups arabic/slavic), 2 hard
# negatives, 4 innocents.
TRUTH_ROWS: list[tuple[str | None, ...]] = [
    ("P1", "planted", "watchlist", "W1", "exact", "arabic"),
    ("P2", "planted", "watchlist", "W2", "typo1", "arabic"),
    ("P3", "planted", "documents", "D1", "exact", "slavic"),
    ("P4", "planted", "watchlist", "W4", "typo1", "slavic"),
    ("H1", "hard_negative", "watchlist", "W1", None, "arabic"),
    ("H2", "hard_negative", "watchlist", "W2", None, "slavic"),
    ("I1", "innocent", None, None, None, "arabic"),
    ("I2", "innocent", None, None, None, "arabic"),
    ("I3", "innocent", None, None, None, "slavic"),
    ("I4", "innocent", None, None, None, "slavic"),
]

HIT_ROWS: list[tuple[str | None, ...]] = [
    ("P1", "watchlist", "W1", "alert"),  # found at alert ...
    ("P1", "watchlist", "W1", "alert"),  # ... duplicate
    ("P1", "watchlist", "W1", "review"),  # ... duplicate at a weaker band
    ("P2", "watchlist", "W2", "review"),  # found at review only
    ("P3", "documents", "D1", "review"),  # document list find, review first ...
    ("P3", "documents", "D1", "alert"),  # ... then alert: best band is alert
    ("P4", "watchlist", "W1", "alert"),  # wrong entry (truth W4): a wrong alert
    ("H1", "watchlist", "W1", "alert"),  # hard negative alerted
    ("H2", "watchlist", "W2", "review"),  # hard negative at review: not alerted
    ("I1", "watchlist", "W1", "alert"),  # innocent, first alert ...
    ("I1", "watchlist", "W3", "alert"),  # ... second alert on another entry
    ("I1", "watchlist", "W1", "alert"),  # ... duplicate of the first
    ("I3", "documents", "D9", "review"),  # innocent at review: not a false alert
]

# Distinct alert pairs: P1-W1, P3-D1, P4-W1, H1-W1, I1-W1, I1-W3 = 6; true ones: P1-W1, P3-D1.
EXPECTED: list[dict[str, Any]] = [
    {
        "dimension": "all",
        "group": "all",
        "planted": 4,
        "found_alert": 2,  # P1, P3
        "found_review": 3,  # P1, P2, P3
        "recall_alert": 0.5,  # 2 / 4
        "recall_review": 0.75,  # 3 / 4
        "innocents": 4,
        "false_alerts": 2,  # I1-W1, I1-W3
        "innocents_alerted": 1,  # I1
        "innocents_hit": 2,  # I1 (alert), I3 (review)
        "false_alerts_per_1000": 500.0,  # 1000 * 2 / 4
        "hard_negatives": 2,
        "hard_negatives_alerted": 1,  # H1
        "hard_negative_alert_rate": 0.5,  # 1 / 2
        "alerts": 6,
        "true_alerts": 2,
        "precision": 2 / 6,
    },
    {
        "dimension": "corruption",
        "group": "exact",  # P1, P3
        "planted": 2,
        "found_alert": 2,
        "found_review": 2,
        "recall_alert": 1.0,  # 2 / 2
        "recall_review": 1.0,
        "innocents": 0,
        "false_alerts": 0,
        "innocents_alerted": 0,
        "innocents_hit": 0,
        "false_alerts_per_1000": None,  # 0 innocents
        "hard_negatives": 0,
        "hard_negatives_alerted": 0,
        "hard_negative_alert_rate": None,  # 0 hard negatives
        "alerts": 2,  # P1-W1, P3-D1
        "true_alerts": 2,
        "precision": 1.0,  # 2 / 2
    },
    {
        "dimension": "corruption",
        "group": "typo1",  # P2, P4
        "planted": 2,
        "found_alert": 0,
        "found_review": 1,  # P2
        "recall_alert": 0.0,  # 0 / 2
        "recall_review": 0.5,  # 1 / 2
        "innocents": 0,
        "false_alerts": 0,
        "innocents_alerted": 0,
        "innocents_hit": 0,
        "false_alerts_per_1000": None,
        "hard_negatives": 0,
        "hard_negatives_alerted": 0,
        "hard_negative_alert_rate": None,
        "alerts": 1,  # P4-W1, the wrong entry
        "true_alerts": 0,
        "precision": 0.0,  # 0 / 1
    },
    {
        "dimension": "name_group",
        "group": "arabic",  # P1, P2, H1, I1, I2
        "planted": 2,
        "found_alert": 1,  # P1
        "found_review": 2,  # P1, P2
        "recall_alert": 0.5,  # 1 / 2
        "recall_review": 1.0,  # 2 / 2
        "innocents": 2,
        "false_alerts": 2,  # I1-W1, I1-W3
        "innocents_alerted": 1,
        "innocents_hit": 1,  # I1
        "false_alerts_per_1000": 1000.0,  # 1000 * 2 / 2
        "hard_negatives": 1,
        "hard_negatives_alerted": 1,  # H1
        "hard_negative_alert_rate": 1.0,  # 1 / 1
        "alerts": 4,  # P1-W1, H1-W1, I1-W1, I1-W3
        "true_alerts": 1,  # P1-W1
        "precision": 0.25,  # 1 / 4
    },
    {
        "dimension": "name_group",
        "group": "slavic",  # P3, P4, H2, I3, I4
        "planted": 2,
        "found_alert": 1,  # P3
        "found_review": 1,  # P3
        "recall_alert": 0.5,  # 1 / 2
        "recall_review": 0.5,  # 1 / 2
        "innocents": 2,
        "false_alerts": 0,
        "innocents_alerted": 0,
        "innocents_hit": 1,  # I3 (review only)
        "false_alerts_per_1000": 0.0,  # 1000 * 0 / 2
        "hard_negatives": 1,
        "hard_negatives_alerted": 0,  # H2 only at review
        "hard_negative_alert_rate": 0.0,  # 0 / 1
        "alerts": 2,  # P3-D1, P4-W1
        "true_alerts": 1,  # P3-D1
        "precision": 0.5,  # 1 / 2
    },
]


def _assert_rows(frame: pl.DataFrame, expected: list[dict[str, Any]]) -> None:
    rows = frame.to_dicts()
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert row.keys() == want.keys()
        for name, value in want.items():
            if isinstance(value, float):
                assert row[name] == pytest.approx(value), (want["group"], name)
            else:
                assert row[name] == value, (want["group"], name)


def test_hand_built_scenario() -> None:
    frame = evaluate(_hits(HIT_ROWS), _truth(TRUTH_ROWS))
    assert frame.schema == EVALUATION
    _assert_rows(frame, EXPECTED)


def test_duplicates_do_not_inflate_counts() -> None:
    hits = _hits(HIT_ROWS)
    once = evaluate(hits, _truth(TRUTH_ROWS))
    assert evaluate(pl.concat([hits, hits, hits.reverse()]), _truth(TRUTH_ROWS)).equals(once)


@dataclass
class _Result:
    hits: pl.DataFrame
    issues: pl.DataFrame | None = None


def test_accepts_an_object_with_hits() -> None:
    frame = evaluate(_Result(_hits(HIT_ROWS)), _truth(TRUTH_ROWS))
    _assert_rows(frame, EXPECTED)


def test_extra_columns_are_ignored() -> None:
    hits = _hits(HIT_ROWS).with_columns(score=pl.lit(0.9), reasons=pl.lit(["name"]))
    truth = _truth(TRUTH_ROWS).with_columns(note=pl.lit("x"))
    _assert_rows(evaluate(hits, truth), EXPECTED)


def test_rejects_something_without_hits() -> None:
    with pytest.raises(TypeError, match="hits"):
        evaluate(object(), _truth(TRUTH_ROWS))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="hits"):
        evaluate(_Result(hits=[1, 2]), _truth(TRUTH_ROWS))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "empty",
    [
        pl.DataFrame(schema=HITS),
        pl.DataFrame({"record_id": [], "list": [], "entry_id": [], "band": []}),  # Null dtype
    ],
)
def test_empty_hits(empty: pl.DataFrame) -> None:
    frame = evaluate(empty, _truth(TRUTH_ROWS))
    assert frame.schema == EVALUATION
    assert frame["group"].to_list() == ["all", "exact", "typo1", "arabic", "slavic"]
    overall = frame.row(0, named=True)
    assert overall["planted"] == 4 and overall["innocents"] == 4 and overall["hard_negatives"] == 2
    assert overall["recall_alert"] == 0.0 and overall["recall_review"] == 0.0
    assert overall["false_alerts_per_1000"] == 0.0  # 1000 * 0 / 4
    assert overall["hard_negative_alert_rate"] == 0.0  # 0 / 2
    assert overall["alerts"] == 0 and overall["precision"] is None  # 0 alerts: undefined


def test_nulls_where_denominators_are_zero() -> None:
    # No travellers at all: one overall row, every count 0, every rate null.
    frame = evaluate(pl.DataFrame(schema=HITS), pl.DataFrame(schema=TRUTH))
    assert frame.height == 1
    overall = frame.row(0, named=True)
    for name in ("recall_alert", "recall_review", "false_alerts_per_1000"):
        assert overall[name] is None, name
    assert overall["hard_negative_alert_rate"] is None and overall["precision"] is None
    assert overall["planted"] == overall["innocents"] == overall["alerts"] == 0

    # A name group without planted travellers or hard negatives; one without innocents.
    truth = _truth(
        [
            ("A", "innocent", None, None, None, "chinese"),
            ("B", "planted", "watchlist", "W1", "exact", "slavic"),
        ]
    )
    frame = evaluate(_hits([("B", "watchlist", "W1", "alert")]), truth)
    chinese = frame.filter(pl.col("group") == "chinese").row(0, named=True)
    assert chinese["recall_alert"] is None and chinese["recall_review"] is None
    assert chinese["hard_negative_alert_rate"] is None and chinese["precision"] is None
    assert chinese["false_alerts_per_1000"] == 0.0
    slavic = frame.filter(pl.col("group") == "slavic").row(0, named=True)
    assert slavic["false_alerts_per_1000"] is None
    assert slavic["recall_alert"] == 1.0 and slavic["precision"] == 1.0


def test_document_list_hits_match_by_list_and_entry_id() -> None:
    truth = _truth(
        [
            ("A", "planted", "documents", "REF-7", "lost_ocr", "latin"),
            ("B", "planted", "documents", "REF-8", "lost_exact", "latin"),
            ("C", "planted", "watchlist", "REF-9", "exact", "latin"),
        ]
    )
    hits = _hits(
        [
            ("A", "documents", "REF-7", "alert"),  # the truth pair
            ("B", "watchlist", "REF-8", "alert"),  # same entry_id on the other list: wrong
            ("C", "documents", "REF-9", "review"),  # same again, the other way round
        ]
    )
    overall = evaluate(hits, truth).row(0, named=True)
    assert overall["found_alert"] == 1 and overall["found_review"] == 1  # A only
    assert overall["alerts"] == 2 and overall["true_alerts"] == 1  # A right, B wrong
    assert overall["false_alerts"] == 0  # wrong alerts on planted travellers are not false alerts
    by_kind = evaluate(hits, truth).filter(pl.col("dimension") == "corruption")
    assert by_kind["group"].to_list() == ["exact", "lost_exact", "lost_ocr"]
    assert by_kind["found_alert"].to_list() == [0, 0, 1]


def test_corruption_on_non_planted_rows_is_ignored() -> None:
    truth = _truth(
        [
            ("A", "planted", "watchlist", "W1", "exact", "latin"),
            ("B", "hard_negative", "watchlist", "W1", "typo1", "latin"),
        ]
    )
    frame = evaluate(pl.DataFrame(schema=HITS), truth)
    assert frame.filter(pl.col("dimension") == "corruption")["group"].to_list() == ["exact"]


SECRET = "SECRET-ID-4711"


def _truth_with(row: tuple[str | None, ...]) -> pl.DataFrame:
    return _truth([(SECRET, "innocent", None, None, None, "latin"), row])


@pytest.mark.parametrize(
    ("truth", "message"),
    [
        (_truth(TRUTH_ROWS).drop("name_group"), "lacks the column"),
        (_truth(TRUTH_ROWS).with_columns(record_id=pl.int_range(10)), "must hold text"),
        (_truth_with((None, "innocent", None, None, None, "latin")), "1 truth row.*null record_id"),
        (_truth_with((SECRET, "innocent", None, None, None, "latin")), "2 truth row.*share"),
        (_truth_with(("B", "suspect", None, None, None, "latin")), "1 truth row.*kind"),
        (_truth_with(("B", None, None, None, None, "latin")), "1 truth row.*kind"),
        (_truth_with(("B", "innocent", None, None, None, None)), "null name_group"),
        (_truth_with(("B", "planted", None, "W1", "exact", "latin")), "null list"),
        (_truth_with(("B", "planted", "watchlist", None, "exact", "latin")), "null entry_id"),
        (_truth_with(("B", "planted", "watchlist", "W1", None, "latin")), "null corruption"),
    ],
)
def test_bad_truth(truth: pl.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        evaluate(pl.DataFrame(schema=HITS), truth)
    assert isinstance(caught.value, SchemaError)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("hits", "message"),
    [
        (_hits([(SECRET, "watchlist", "W1", "alert")]).drop("band"), "lacks the column.*band"),
        (_hits([(SECRET, "watchlist", "W1", "Alert")]), "1 hit row.*band other than"),
        (_hits([(SECRET, "watchlist", "W1", None)]), "1 hit row.*band other than"),
        (_hits([(SECRET, "watchlist", None, "alert")]), "null list or entry_id"),
        (_hits([(SECRET, None, "W1", "review")]), "null list or entry_id"),
        (
            _hits([("NOBODY-1", "watchlist", "W1", "alert"), ("NOBODY-2", "docs", "D", "alert")]),
            "2 hit row.*not in truth",
        ),
        (_hits([(None, "watchlist", "W1", "alert")]), "1 hit row.*not in truth"),
    ],
)
def test_bad_hits(hits: pl.DataFrame, message: str) -> None:
    truth = _truth([(SECRET, "innocent", None, None, None, "latin")])
    with pytest.raises(ValueError, match=message) as caught:
        evaluate(hits, truth)
    assert isinstance(caught.value, SchemaError)
    for record_id in (SECRET, "NOBODY-1", "NOBODY-2"):
        assert record_id not in str(caught.value)


def test_report_headline_and_tables() -> None:
    report = evaluation_report(evaluate(_hits(HIT_ROWS), _truth(TRUTH_ROWS)))
    lines = report.splitlines()
    assert lines[:5] == [
        "planted 4: recall 50.0% at alert, 75.0% at review",
        "false alerts: 500.0 per 1,000 innocent travellers (2 alerts on 4)",
        "innocents with any hit (alert or review): 2 of 4",  # I1, I3
        "hard negatives alerted: 50.0% (1 of 2)",
        "precision of alerts: 33.3% (2 of 6)",  # 2 / 6
    ]
    typo1 = next(line for line in lines if line.lstrip().startswith("typo1"))
    assert typo1.split()[:4] == ["typo1", "2", "0.0%", "50.0%"]
    assert "lowest recall at alert" in typo1
    arabic = next(line for line in lines if line.lstrip().startswith("arabic"))
    assert arabic.split()[:6] == ["arabic", "2", "50.0%", "2", "1,000.0", "100.0%"]
    assert "most false alerts" in arabic
    slavic = next(line for line in lines if line.lstrip().startswith("slavic"))
    assert "most false alerts" not in slavic
    # The fewest false alerts are 0 per 1,000: no ratio, but both groups are named.
    assert (
        lines[-1] == "Most false alerts: arabic (1,000.0 per 1,000); fewest: slavic (0.0 per 1,000)"
    )
    assert all(line == line.rstrip() for line in lines)


def test_report_ratio_and_dashes() -> None:
    truth = _truth(
        [
            ("A1", "innocent", None, None, None, "alpha"),
            ("A2", "innocent", None, None, None, "alpha"),
            ("B1", "innocent", None, None, None, "beta"),
            ("B2", "innocent", None, None, None, "beta"),
            ("B3", "innocent", None, None, None, "beta"),
            ("B4", "innocent", None, None, None, "beta"),
            ("C1", "planted", "watchlist", "W1", "exact", "gamma"),
        ]
    )
    hits = _hits([("A1", "watchlist", "W1", "alert"), ("B1", "watchlist", "W1", "alert")])
    report = evaluation_report(evaluate(hits, truth))
    lines = report.splitlines()
    # alpha: 1000 * 1 / 2 = 500.0; beta: 1000 * 1 / 4 = 250.0; ratio 500 / 250 = 2.0.
    assert (
        lines[-1]
        == "Most false alerts: alpha (500.0 per 1,000), 2.0x the fewest: beta (250.0 per 1,000)"
    )
    # No hard negatives anywhere: the headline rate is "-".
    assert "hard negatives alerted: - (0 of 0)" in lines
    # alpha has no planted traveller and no hard negative; gamma has no innocents.
    alpha = next(line for line in lines if line.lstrip().startswith("alpha"))
    assert alpha.split()[:6] == ["alpha", "0", "-", "2", "500.0", "-"]
    gamma = next(line for line in lines if line.lstrip().startswith("gamma"))
    assert gamma.split()[:6] == ["gamma", "1", "0.0%", "0", "-", "-"]


def test_report_of_an_empty_scenario() -> None:
    report = evaluation_report(evaluate(pl.DataFrame(schema=HITS), pl.DataFrame(schema=TRUTH)))
    assert report.splitlines()[:5] == [
        "planted 0: recall - at alert, - at review",
        "false alerts: - per 1,000 innocent travellers (0 alerts on 0)",
        "innocents with any hit (alert or review): 0 of 0",
        "hard negatives alerted: - (0 of 0)",
        "precision of alerts: - (0 of 0)",
    ]
    assert "Most false alerts" not in report


def test_report_rejects_other_frames() -> None:
    frame = evaluate(_hits(HIT_ROWS), _truth(TRUTH_ROWS))
    with pytest.raises(SchemaError, match="lacks the column"):
        evaluation_report(frame.drop("precision"))
    with pytest.raises(SchemaError, match="0 overall rows"):
        evaluation_report(frame.filter(pl.col("dimension") != "all"))


# --- properties ----------------------------------------------------------------------------

_KINDS = st.sampled_from(["planted", "hard_negative", "innocent"])
_LISTS = st.sampled_from(["watchlist", "documents"])
_ENTRIES = st.sampled_from(["E0", "E1", "E2", "E3"])
_GROUPS = st.sampled_from(["arabic", "slavic", "chinese"])
_CORRUPTIONS = st.sampled_from(["exact", "typo1", "doc_ocr"])


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame]:
    size = draw(st.integers(min_value=0, max_value=25))
    rows: list[tuple[str | None, ...]] = []
    for index in range(size):
        kind = draw(_KINDS)
        listed = kind != "innocent"
        rows.append(
            (
                f"R{index}",
                kind,
                draw(_LISTS) if listed else None,
                draw(_ENTRIES) if listed else None,
                draw(_CORRUPTIONS) if kind == "planted" else None,
                draw(_GROUPS),
            )
        )
    hit_rows: list[tuple[str | None, ...]] = []
    if size:
        hit = st.tuples(
            st.integers(min_value=0, max_value=size - 1).map(lambda i: f"R{i}"),
            _LISTS,
            _ENTRIES,
            st.sampled_from(["alert", "review"]),
        )
        hit_rows = list(draw(st.lists(hit, max_size=40)))
    return _hits(hit_rows), _truth(rows)


@given(_scenario())
def test_properties(scenario: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    hits, truth = scenario
    frame = evaluate(hits, truth)
    assert frame.schema == EVALUATION
    overall = frame.row(0, named=True)
    assert overall["dimension"] == "all"
    assert overall["planted"] + overall["innocents"] + overall["hard_negatives"] == truth.height

    for row in frame.iter_rows(named=True):
        assert row["found_alert"] <= row["found_review"] <= row["planted"]
        assert row["innocents_alerted"] <= row["innocents_hit"] <= row["innocents"]
        assert row["hard_negatives_alerted"] <= row["hard_negatives"]
        assert row["true_alerts"] <= row["alerts"]
        for name in ("recall_alert", "recall_review", "hard_negative_alert_rate", "precision"):
            assert row[name] is None or 0.0 <= row[name] <= 1.0, name
        assert (row["recall_alert"] is None) == (row["planted"] == 0)
        assert (row["precision"] is None) == (row["alerts"] == 0)

    for dimension in ("corruption", "name_group"):
        groups = frame.filter(pl.col("dimension") == dimension)
        assert groups["group"].to_list() == sorted(groups["group"].to_list())
        for name in ("planted", "found_alert", "found_review", "true_alerts"):
            assert groups[name].sum() == overall[name], (dimension, name)
    groups = frame.filter(pl.col("dimension") == "name_group")
    for name in ("innocents", "false_alerts", "hard_negatives_alerted", "alerts"):
        assert groups[name].sum() == overall[name], name

    # Repeating hit rows changes nothing.
    assert evaluate(pl.concat([hits, hits]), truth).equals(frame)
