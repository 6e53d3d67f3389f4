"""Aligning rows whose cell count is wrong, and splitting numbers that ran together.

Each damaged row gets candidate readings (blank padding, a dropped extra cell, an inserted missing
cell, a split of a digit run). The table's own identities (row sums, column sums, balance) choose
among them; then how well a reading's edge blanks match the padding of the table's complete rows.
Cells on which the best readings disagree are left unknown, never guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Value = float | int | None
Values = tuple[Value, ...]


@dataclass(frozen=True)
class Candidate:
    values: Values
    cost: int  # repairs (0: the row as written, blanks placed at its edges), plus edge blanks read as cells
    # that the table's complete rows have as padding
    op: tuple  # what was done, e.g. ("pad", 1), ("miss", (3,)), ("drop", (7,)), ("split",)
    imputed: tuple[int, ...] = ()  # positions whose value was inferred from the row sum
    layout: int = 0  # edges left with an amount of padding no complete row of the table has


@dataclass(frozen=True)
class Padding:
    """Blank cells that the table's complete rows have before and after their values: padding
    in this layout (merged label cells, rows filled out to the grid). Empty: nothing is known."""

    lead: frozenset[int] = frozenset()
    trail: frozenset[int] = frozenset()


NO_PADDING_KNOWN = Padding()


def padding_of(edges: Iterable[tuple[int, int]], min_rows: int = 2) -> Padding:
    """Padding seen in complete rows, given (lead, trail) of each; one such row is too little to go by."""
    edges = list(edges)
    if len(edges) < min_rows:
        return NO_PADDING_KNOWN
    return Padding(frozenset(lead for lead, _ in edges), frozenset(trail for _, trail in edges))


def _edge_doubt(blanks: int, used: int, seen: frozenset[int]) -> tuple[int, int]:
    """(layout, cost) of reading `used` of an edge's `blanks` as value cells, the rest as padding.

    layout: 1 when the padding left is an amount no complete row has: a row is padded like its
    neighbours. cost: the blanks read as values that the complete rows have as padding; a reading
    that calls them values is then no cheaper than one that calls a cell lost.
    """
    if not seen:
        return 0, 0
    left = blanks - used
    return int(left not in seen), max(0, min(blanks, max(seen)) - left)


def sum_ok(parts: Sequence[Value], total: Value) -> bool:
    """Can parts sum to total, reading unknown (None) cells as any value >= 0?"""
    known = sum(v for v in parts if v is not None)
    free = any(v is None for v in parts)
    if total is None:
        return True
    return known <= total + 1e-9 if free else abs(known - total) < 1e-6


def balance_ok(left: Sequence[Value], right: Sequence[Value]) -> bool:
    lk, rk = sum(v for v in left if v is not None), sum(v for v in right if v is not None)
    lf, rf = any(v is None for v in left), any(v is None for v in right)
    if lf and rf:
        return True
    if lf:
        return lk <= rk + 1e-9
    if rf:
        return rk <= lk + 1e-9
    return abs(lk - rk) < 1e-6


def impute(values: list[Value], holes: Sequence[int], total_index: int | None) -> tuple[int, ...]:
    """Fill a single hole from the row sum (parts + total); returns the positions filled."""
    if total_index is None or len(holes) != 1:
        return ()
    hole = holes[0]
    parts = [v for i, v in enumerate(values) if i != total_index]
    if hole == total_index:
        if any(v is None for v in parts):
            return ()
        values[hole] = sum(parts)
        return (hole,)
    others = [v for i, v in enumerate(parts) if v is not None]
    total = values[total_index]
    if total is None or len(others) != len(parts) - 1:
        return ()
    guess = total - sum(others)
    if guess < 0:
        return ()
    values[hole] = guess
    return (hole,)


def row_candidates(
    core: Sequence[Value],
    lead: int,
    trail: int,
    width: int,
    total_index: int | None,
    max_repair: int = 2,
    padding: Padding = NO_PADDING_KNOWN,
) -> list[Candidate]:
    """Readings of one row: core cells plus up to `lead`/`trail` blank cells seen at its edges.
    `padding`: what the table's complete rows have at their edges, to weigh those blank cells."""
    n = len(core)
    if n == width:  # the row as written: its edge blanks are padding, whatever the table's are
        return [Candidate(tuple(core), 0, ("pad", 0))]
    out: list[Candidate] = []
    if n > width:
        for k in range(1, max_repair + 1):
            if n - k != width:
                continue
            for drop in itertools.combinations(range(n), k):
                vals = tuple(v for i, v in enumerate(core) if i not in drop)
                out.append(Candidate(vals, k, ("drop", drop)))
        return out
    need = width - n
    for miss in range(0, min(max_repair, need) + 1):
        pad = need - miss
        for j in range(max(0, pad - trail), min(lead, pad) + 1):
            body = [None] * j + list(core) + [None] * (pad - j)
            lead_layout, lead_cost = _edge_doubt(lead, j, padding.lead)
            trail_layout, trail_cost = _edge_doubt(trail, pad - j, padding.trail)
            layout, doubt = lead_layout + trail_layout, lead_cost + trail_cost
            if miss == 0:
                out.append(Candidate(tuple(body), doubt, ("pad", j), layout=layout))
                continue
            for holes in itertools.combinations(range(width), miss):
                vals = list(body)
                for h in holes:
                    vals.insert(h, None)
                filled = impute(vals, holes, total_index)
                out.append(Candidate(tuple(vals), miss + doubt, ("miss", holes, j), filled, layout))
    return out


def split_candidates(digits: str, width: int, accept: Callable[[Values], bool], limit: int = 20000) -> list[Candidate]:
    """Ways to cut a run of digits into `width` numbers (no leading zeros) that `accept` allows."""
    n = len(digits)
    if n < width or n > width * 6:
        return []
    out: list[Candidate] = []
    for count, cuts in enumerate(itertools.combinations(range(1, n), width - 1)):
        if count > limit:
            break
        bounds = (0, *cuts, n)
        parts = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        vals = tuple(int(p) for p in parts)
        if accept(vals):
            out.append(Candidate(vals, 0, ("split",)))
    return out


@dataclass
class Solution:
    choice: dict[str, Candidate]
    uncertain: dict[str, set[int]]  # row -> positions the best readings disagree on
    violations: int  # identities broken by the best reading (0 when nothing needed choosing)


Score = Callable[[dict[str, Values]], int]


def solve(options: dict[str, list[Candidate]], fixed: dict[str, Values], violations: Score) -> Solution:
    """Pick one candidate per damaged row, fewest violated identities first, then padding like the table's
    complete rows, then fewest repairs."""
    keys = [k for k in options if options[k]]
    if not keys:
        return Solution({}, {}, 0)

    def score(choice: dict[str, Candidate]) -> tuple[int, int, int, int]:
        table = dict(fixed)
        table.update({k: c.values for k, c in choice.items()})
        # Fewest broken identities; then edges padded like the table's other rows; then the same
        # repair everywhere (damage is usually systematic); then fewest repairs.
        ops = {c.op for c in choice.values() if c.cost or c.op != ("pad", 0)}
        layout = sum(c.layout for c in choice.values())
        return violations(table), layout, len(ops), sum(c.cost for c in choice.values())

    if _product(options, keys) <= 256:
        combos = (dict(zip(keys, combo)) for combo in itertools.product(*(options[k] for k in keys)))
        best = min(combos, key=score)
    else:
        best = _search(options, keys, score)
    best_score = score(best)
    uncertain: dict[str, set[int]] = {}
    for k in keys:
        seen = {best[k].values}
        for alt in options[k]:
            if alt.values in seen:
                continue
            seen.add(alt.values)
            if score({**best, k: alt}) == best_score:
                diff = {i for i, (a, b) in enumerate(zip(alt.values, best[k].values)) if a != b}
                uncertain.setdefault(k, set()).update(diff)
        _doubtful_padding(best, options[k], k, score, uncertain)
    return Solution(best, uncertain, best_score[0])


def _doubtful_padding(best: dict[str, Candidate], options: list[Candidate], k: str, score, uncertain) -> None:
    """A reading that took blanks the table's other rows have as padding for cells, chosen only because its
    unknown cells break no identity: a lost cell is as likely, so cells it places unlike the best reading
    with a lost cell are unknown."""
    chosen = best[k]
    if chosen.op[0] != "pad" or not (chosen.cost or chosen.layout):
        return
    lost = [alt for alt in options if alt.op[0] == "miss"]
    if not lost:
        return
    alt = min(lost, key=lambda a: score({**best, k: a}))
    diff = {i for i, (a, b) in enumerate(zip(alt.values, chosen.values)) if a != b}
    if diff:
        uncertain.setdefault(k, set()).update(diff)


def _search(options, keys, score) -> dict[str, Candidate]:
    starts = _starts(options, keys)
    best = min(starts, key=score)
    violations, layout, ops, _ = score(best)
    if violations == 0 and layout == 0 and ops <= 1:
        return best  # one repair applied alike to every damaged row explains the whole table
    promising = sorted(starts, key=score)[:3]  # descending from every start costs seconds on wrecked tables
    return min((_descend(start, options, keys, score) for start in promising), key=score)


def _starts(options: dict[str, list[Candidate]], keys: list[str]) -> list[dict[str, Candidate]]:
    """The cheapest reading of every row, then each repair applied the same way to every row."""
    starts = [{k: min(options[k], key=lambda c: (c.layout, c.cost)) for k in keys}]
    ops = {c.op for k in keys for c in options[k] if c.cost > 0}
    for op in sorted(ops, key=repr)[:64]:
        start = dict(starts[0])
        for k in keys:
            same = [c for c in options[k] if c.op == op]
            if same:
                start[k] = same[0]
        starts.append(start)
    return starts


def _product(options: dict[str, list[Candidate]], keys: list[str]) -> int:
    total = 1
    for k in keys:
        total *= len(options[k])
        if total > 10**6:
            break
    return total


def _descend(start, options, keys, score, passes: int = 4) -> dict[str, Candidate]:
    current = dict(start)
    current_score = score(current)
    for _ in range(passes):
        improved = False
        for k in keys:
            if len(options[k]) < 2:
                continue
            for alt in options[k]:
                trial = {**current, k: alt}
                s = score(trial)
                if s < current_score:
                    current, current_score, improved = trial, s, True
        if not improved:
            break
    return current
