"""Score a screening run against the truth of a synthetic scenario.

A scenario generator plants listed people and documents among the travellers of a manifest and
writes down what it did in a *truth* frame (:data:`TRUTH`): one row per traveller saying
whether the traveller is a planted match (and to which list entry, after which corruption), a
hard negative (a namesake of a listed person who must not be alerted on) or an innocent
traveller. :func:`evaluate` compares the screener's hits with that truth and returns one row of
counts and rates per breakdown group (:data:`EVALUATION`); :func:`evaluation_report` turns the
frame into a short text for a terminal.

Counting rules:

- A *pair* is one (``record_id``, ``list``, ``entry_id``). Several hit rows for the same pair
  count once, with their best band (``alert`` beats ``review``).
- A planted traveller is *found* when the pair of its truth row (same ``list`` and
  ``entry_id``) has a hit: at alert for ``found_alert``, at alert or review for
  ``found_review``.
- ``alerts`` counts the alert-band pairs of the group's travellers; ``true_alerts`` those that
  are a planted traveller's truth pair. An alert on a planted traveller for another entry is a
  wrong alert: it lowers precision but is not a false alert on an innocent.
- ``false_alerts`` counts the alert-band pairs of innocent travellers, ``innocents_alerted``
  the innocent travellers with at least one; ``innocents_hit`` those with a hit at any band
  (what officers review for nothing).
- ``hard_negatives_alerted`` counts the hard negatives with an alert-band pair on any entry.
- Rates are null when their denominator is 0.

Error messages give counts and column names, never a record id, name or other value.
"""

from __future__ import annotations

from typing import Any, Final, Protocol

import polars as pl

from paxscreen.errors import SchemaError

__all__ = [
    "BANDS",
    "EVALUATION",
    "KINDS",
    "TRUTH",
    "HasHits",
    "evaluate",
    "evaluation_report",
]

#: The truth frame of a scenario: exactly one row per traveller.
#:
#: - ``record_id``: the traveller (unique).
#: - ``kind``: ``"planted"``, ``"hard_negative"`` or ``"innocent"`` (see :data:`KINDS`).
#: - ``list``: ``"watchlist"`` or ``"documents"``; null for innocents.
#: - ``entry_id``: planted: the watchlist ``entry_id`` or the document list ``record_ref`` the
#:   traveller must be matched to; hard negative: the listed namesake the traveller must not be
#:   alerted on; innocent: null.
#: - ``corruption``: how a planted traveller differs from the list entry (``"exact"``,
#:   ``"typo1"``, ``"dob_year_off"``, ``"lost_ocr"``...; an open set); null otherwise.
#: - ``name_group``: the naming tradition of the traveller's name (``"arabic"``,
#:   ``"slavic"``...); never null.
TRUTH: Final = pl.Schema(
    {
        "record_id": pl.String(),
        "kind": pl.String(),
        "list": pl.String(),
        "entry_id": pl.String(),
        "corruption": pl.String(),
        "name_group": pl.String(),
    }
)

#: The values of the truth ``kind`` column.
KINDS: Final = ("planted", "hard_negative", "innocent")

#: The values of the hits ``band`` column, strongest first.
BANDS: Final = ("alert", "review")

#: The frame :func:`evaluate` returns: one row per breakdown group.
EVALUATION: Final = pl.Schema(
    {
        "dimension": pl.String(),  # "all" | "corruption" | "name_group"
        "group": pl.String(),  # "all", a corruption kind or a name group
        "planted": pl.Int64(),
        "found_alert": pl.Int64(),
        "found_review": pl.Int64(),
        "recall_alert": pl.Float64(),
        "recall_review": pl.Float64(),
        "innocents": pl.Int64(),
        "false_alerts": pl.Int64(),
        "innocents_alerted": pl.Int64(),
        "innocents_hit": pl.Int64(),
        "false_alerts_per_1000": pl.Float64(),
        "hard_negatives": pl.Int64(),
        "hard_negatives_alerted": pl.Int64(),
        "hard_negative_alert_rate": pl.Float64(),
        "alerts": pl.Int64(),
        "true_alerts": pl.Int64(),
        "precision": pl.Float64(),
    }
)

_HIT_COLUMNS: Final = ("record_id", "list", "entry_id", "band")
_PAIR: Final = ["record_id", "list", "entry_id"]
_TEXT_TYPES: Final = (pl.String, pl.Categorical, pl.Enum, pl.Null)


class HasHits(Protocol):
    """Anything carrying a hits frame, such as a screener's ``ScreenResult``."""

    @property
    def hits(self) -> pl.DataFrame:
        """One row per (traveller, list entry) hit."""
        ...


def evaluate(result: HasHits | pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Compare a screening run with the truth of its scenario.

    Args:
        result: The screener's result (anything with a ``hits`` DataFrame attribute) or a hits
            frame itself. Only the columns ``record_id``, ``list``, ``entry_id`` and ``band``
            (``"alert"`` or ``"review"``) are read; other columns are ignored.
        truth: One row per traveller with the columns of :data:`TRUTH` (more are ignored).

    Returns:
        A frame with the columns of :data:`EVALUATION`: first the overall row (``dimension``
        and ``group`` both ``"all"``), then one row per corruption kind (planted travellers
        only, so their innocent and hard-negative columns are 0 and those rates null), then
        one row per name group (every traveller), each block sorted by ``group``. The
        counting rules are in the module documentation.

    Raises:
        TypeError: ``result`` is neither a DataFrame nor has a DataFrame ``hits`` attribute.
        SchemaError: (a ``ValueError``) ``truth`` lacks a column, has a non-text column, a
            null or repeated ``record_id``, a ``kind`` outside :data:`KINDS`, a null
            ``name_group``, or a planted row without ``list``, ``entry_id`` or
            ``corruption``; or the hits lack a column, have a band outside :data:`BANDS`, a
            null ``list`` or ``entry_id``, or a ``record_id`` that is not in ``truth``.
    """
    hits = _hits_frame(result)
    truth = _checked_truth(truth)
    hits = _checked_hits(hits, truth)
    travellers = _per_traveller(hits, truth)

    planted = travellers.filter(pl.col("_planted"))
    blocks = [
        travellers.select(_counts()).with_columns(
            dimension=pl.lit("all"), group=pl.lit("all", dtype=pl.String)
        ),
        _grouped(planted, "corruption"),
        _grouped(travellers, "name_group"),
    ]
    counts = pl.concat(blocks, how="diagonal")
    return counts.with_columns(
        recall_alert=_rate("found_alert", "planted"),
        recall_review=_rate("found_review", "planted"),
        false_alerts_per_1000=1000 * _rate("false_alerts", "innocents"),
        hard_negative_alert_rate=_rate("hard_negatives_alerted", "hard_negatives"),
        precision=_rate("true_alerts", "alerts"),
    ).select([pl.col(name).cast(dtype) for name, dtype in EVALUATION.items()])


def _hits_frame(result: HasHits | pl.DataFrame) -> pl.DataFrame:
    if isinstance(result, pl.DataFrame):
        return result
    hits = getattr(result, "hits", None)
    if not isinstance(hits, pl.DataFrame):
        raise TypeError(
            "evaluate() takes a hits DataFrame or an object with a DataFrame `hits` attribute, "
            f"not {type(result).__name__}"
        )
    return hits


def _text_columns(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> pl.DataFrame:
    """Select ``columns`` as String, or raise if one is missing or not text."""
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise SchemaError(f"{what} lacks the column(s) {', '.join(missing)}")
    wrong = [name for name in columns if not isinstance(frame.schema[name], _TEXT_TYPES)]
    if wrong:
        raise SchemaError(f"{what} column(s) {', '.join(wrong)} must hold text")
    return frame.select([pl.col(name).cast(pl.String) for name in columns])


def _fault_count(frame: pl.DataFrame, fault: pl.Expr) -> int:
    return int(frame.select(fault.fill_null(True).sum()).item())


def _checked_truth(truth: pl.DataFrame) -> pl.DataFrame:
    truth = _text_columns(truth, tuple(TRUTH), "truth")
    kind, planted = pl.col("kind"), pl.col("kind") == "planted"
    checks = [
        (pl.col("record_id").is_null(), "have a null record_id"),
        (pl.col("record_id").is_duplicated(), "share their record_id with another row"),
        (~kind.is_in(KINDS), f"have a kind other than {', '.join(KINDS)}"),
        (pl.col("name_group").is_null(), "have a null name_group"),
        (planted & pl.col("list").is_null(), "are planted but have a null list"),
        (planted & pl.col("entry_id").is_null(), "are planted but have a null entry_id"),
        (planted & pl.col("corruption").is_null(), "are planted but have a null corruption"),
    ]
    for fault, what in checks:
        count = _fault_count(truth, fault)
        if count:
            raise SchemaError(f"{count} truth row(s) {what}")
    # Corruption describes planted travellers only; ignore it anywhere else.
    return truth.with_columns(corruption=pl.when(planted).then(pl.col("corruption")))


def _checked_hits(hits: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    hits = _text_columns(hits, _HIT_COLUMNS, "hits")
    checks = [
        (~pl.col("band").is_in(BANDS), f"have a band other than {', '.join(BANDS)}"),
        (pl.col("list").is_null() | pl.col("entry_id").is_null(), "have a null list or entry_id"),
    ]
    for fault, what in checks:
        count = _fault_count(hits, fault)
        if count:
            raise SchemaError(f"{count} hit row(s) {what}")
    unknown = hits.join(truth.select("record_id"), on="record_id", how="anti").height
    if unknown:
        raise SchemaError(f"{unknown} hit row(s) have a record_id that is not in truth")
    return hits


def _per_traveller(hits: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """One row per truth row, with what the hits did to that traveller.

    Columns added: ``_planted``, ``_innocent``, ``_hard_negative`` (kind flags), ``_alerts``
    (alert-band pairs), ``_true_alerts`` (0 or 1: the truth pair at alert), ``_found_review``
    (the truth pair at any band) and ``_hit`` (any hit at all).
    """
    pairs = hits.group_by(_PAIR).agg(_alert=(pl.col("band") == "alert").any())
    is_truth_pair = (
        (pl.col("kind") == "planted")
        & (pl.col("list") == pl.col("_truth_list"))
        & (pl.col("entry_id") == pl.col("_truth_entry"))
    ).fill_null(False)
    truth_keys = truth.select(
        "record_id",
        "kind",
        _truth_list=pl.col("list"),
        _truth_entry=pl.col("entry_id"),
    )
    outcomes = (
        pairs.join(truth_keys, on="record_id", how="inner")
        .with_columns(_true=is_truth_pair)
        .group_by("record_id")
        .agg(
            _alerts=pl.col("_alert").sum().cast(pl.Int64),
            _true_alerts=(pl.col("_alert") & pl.col("_true")).sum().cast(pl.Int64),
            _found_review=pl.col("_true").any(),
            _hit=pl.lit(True),
        )
    )
    return truth.join(outcomes, on="record_id", how="left").with_columns(
        pl.col("_alerts", "_true_alerts").fill_null(0),
        pl.col("_found_review", "_hit").fill_null(False),
        _planted=pl.col("kind") == "planted",
        _innocent=pl.col("kind") == "innocent",
        _hard_negative=pl.col("kind") == "hard_negative",
    )


def _counts() -> list[pl.Expr]:
    """The count columns of :data:`EVALUATION`, as aggregations over per-traveller rows."""
    alerted = pl.col("_alerts") > 0
    return [
        pl.col("_planted").sum().alias("planted"),
        (pl.col("_true_alerts") > 0).sum().alias("found_alert"),
        pl.col("_found_review").sum().alias("found_review"),
        pl.col("_innocent").sum().alias("innocents"),
        pl.col("_alerts").filter(pl.col("_innocent")).sum().alias("false_alerts"),
        (pl.col("_innocent") & alerted).sum().alias("innocents_alerted"),
        (pl.col("_innocent") & pl.col("_hit")).sum().alias("innocents_hit"),
        pl.col("_hard_negative").sum().alias("hard_negatives"),
        (pl.col("_hard_negative") & alerted).sum().alias("hard_negatives_alerted"),
        pl.col("_alerts").sum().alias("alerts"),
        pl.col("_true_alerts").sum().alias("true_alerts"),
    ]


def _grouped(travellers: pl.DataFrame, dimension: str) -> pl.DataFrame:
    return (
        travellers.group_by(dimension)
        .agg(_counts())
        .rename({dimension: "group"})
        .with_columns(dimension=pl.lit(dimension))
        .sort("group")
    )


def _rate(numerator: str, denominator: str) -> pl.Expr:
    return (
        pl.when(pl.col(denominator) > 0)
        .then(pl.col(numerator) / pl.col(denominator))
        .otherwise(None)
        .cast(pl.Float64)
    )


def evaluation_report(frame: pl.DataFrame) -> str:
    """Render an :func:`evaluate` frame as plain text for a terminal.

    The text starts with a headline block (recall at both bands, false alerts per 1,000
    innocent travellers, innocents with any hit, hard negatives alerted, precision of alerts),
    followed by two aligned tables: by corruption kind (planted, recall at alert, recall at
    review) and by name group (planted, recall at alert, innocents, false alerts per 1,000,
    hard negatives alerted).
    Undefined rates print as ``-``. The corruption kind(s) with the lowest recall at alert and
    the name group(s) with the most false alerts per 1,000 are marked when the groups differ,
    and a closing line states how many times the worst name group's false-alert rate is the
    best one's when both are defined and the best is above 0.

    Args:
        frame: The frame :func:`evaluate` returned.

    Returns:
        The report, lines separated by ``\\n``, without a trailing newline.

    Raises:
        SchemaError: ``frame`` lacks a column of :data:`EVALUATION` or has no single overall row.
    """
    missing = [name for name in EVALUATION if name not in frame.columns]
    if missing:
        raise SchemaError(f"evaluation frame lacks the column(s) {', '.join(missing)}")
    overall = frame.filter(pl.col("dimension") == "all")
    if overall.height != 1:
        raise SchemaError(f"evaluation frame has {overall.height} overall rows, expected 1")
    lines = _headline(overall.row(0, named=True))
    lines += ["", *_corruption_table(frame.filter(pl.col("dimension") == "corruption"))]
    lines += ["", *_name_group_table(frame.filter(pl.col("dimension") == "name_group"))]
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _headline(row: dict[str, Any]) -> list[str]:
    return [
        f"planted {row['planted']:,}: recall {_pct(row['recall_alert'])} at alert, "
        f"{_pct(row['recall_review'])} at review",
        f"false alerts: {_num(row['false_alerts_per_1000'])} per 1,000 innocent travellers "
        f"({_plural(row['false_alerts'], 'alert')} on {row['innocents']:,})",
        f"innocents with any hit (alert or review): {row['innocents_hit']:,} of "
        f"{row['innocents']:,}",
        f"hard negatives alerted: {_pct(row['hard_negative_alert_rate'])} "
        f"({row['hard_negatives_alerted']:,} of {row['hard_negatives']:,})",
        f"precision of alerts: {_pct(row['precision'])} "
        f"({row['true_alerts']:,} of {row['alerts']:,})",
    ]


def _extremes(values: list[float | None], *, highest: bool) -> list[int]:
    """Indices of the extreme defined values, or none when all defined values are equal."""
    defined = [value for value in values if value is not None]
    if not defined or min(defined) == max(defined):
        return []
    target = max(defined) if highest else min(defined)
    return [index for index, value in enumerate(values) if value == target]


def _table(headers: list[str], cells: list[list[str]], marked: list[int], mark: str) -> list[str]:
    """Align ``cells`` under ``headers``: first column left, the others right."""
    widths = [max(len(row[i]) for row in [headers, *cells]) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  " + "  ".join(parts)

    rows = [line(headers)]
    rows += [line(row) + (f"  <- {mark}" if i in marked else "") for i, row in enumerate(cells)]
    return [row.rstrip() for row in rows]


def _corruption_table(frame: pl.DataFrame) -> list[str]:
    if frame.is_empty():
        return ["By corruption kind: no planted travellers"]
    rows = list(frame.iter_rows(named=True))
    cells = [
        [row["group"], f"{row['planted']:,}", _pct(row["recall_alert"]), _pct(row["recall_review"])]
        for row in rows
    ]
    worst = _extremes([row["recall_alert"] for row in rows], highest=False)
    headers = ["corruption", "planted", "recall alert", "recall review"]
    return ["By corruption kind", *_table(headers, cells, worst, "lowest recall at alert")]


def _name_group_table(frame: pl.DataFrame) -> list[str]:
    if frame.is_empty():
        return ["By name group: no travellers"]
    rows = list(frame.iter_rows(named=True))
    cells = [
        [
            row["group"],
            f"{row['planted']:,}",
            _pct(row["recall_alert"]),
            f"{row['innocents']:,}",
            _num(row["false_alerts_per_1000"]),
            _pct(row["hard_negative_alert_rate"]),
        ]
        for row in rows
    ]
    rates: list[float | None] = [row["false_alerts_per_1000"] for row in rows]
    worst = _extremes(rates, highest=True)
    headers = [
        "name group",
        "planted",
        "recall alert",
        "innocents",
        "false alerts /1,000",
        "hard negatives alerted",
    ]
    lines = ["By name group", *_table(headers, cells, worst, "most false alerts")]
    if worst:
        best = _extremes(rates, highest=False)
        worst_rate = _defined(rates[worst[0]])
        best_rate = _defined(rates[best[0]])
        worst_names = ", ".join(rows[i]["group"] for i in worst)
        best_names = ", ".join(rows[i]["group"] for i in best)
        summary = f"Most false alerts: {worst_names} ({_num(worst_rate)} per 1,000)"
        if best_rate > 0:
            summary += f", {worst_rate / best_rate:.1f}x the fewest: "
        else:
            summary += "; fewest: "
        lines.append(f"{summary}{best_names} ({_num(best_rate)} per 1,000)")
    return lines


def _defined(value: float | None) -> float:
    if value is None:  # pragma: no cover - callers pass extremes, which are defined
        raise ValueError("undefined rate")
    return value
