"""Elections: proposals with costs, a budget and ballots (private).

An :class:`Election` is what every selection rule runs on. It comes from a call in the
community graph (:meth:`Election.from_call`), from a Pabulib file
(:meth:`Election.from_pabulib`) or is built directly.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import FormatError, Problem, ValidationError
from ..io.pabulib import PabulibFile, PabulibProject, PabulibVote, currency_meta, voter_ids
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.money import format_fen

if TYPE_CHECKING:
    from ..graph import CommunityGraph
    from ..privacy import Reveal
    from ._scoring import Scores, Votes

__all__ = ["VOTE_KINDS", "Ballot", "Election", "format_money"]

#: The ballot kinds an election may hold (the Pabulib vote types).
VOTE_KINDS = ("approval", "cumulative", "scoring", "ordinal")


def _format_amount(amount: float | Fraction, unit: str = "fen") -> str:
    """Money for people to read: fen as yuan by :func:`~vchuang.kernel.money.format_fen`
    (``¥1,234.50``), other units (a Pabulib file's currency) as ``1,234 PLN``.

    Examples
    --------
    >>> _format_amount(123450), _format_amount(25000, "PLN"), _format_amount(Fraction(1, 3))
    ('¥1,234.50', '25,000 PLN', '¥0.00')
    """
    if unit == "fen":
        return format_fen(round(Fraction(amount)), symbol=True)
    value = Fraction(amount)
    if value.denominator == 1:
        return f"{int(value):,} {unit}".rstrip()
    return f"{float(value):,.2f} {unit}".rstrip()


def format_money(amount: float | Fraction, unit: str = "fen") -> str:
    """Deprecated: money for people to read; use :func:`vchuang.kernel.money.format_fen`.

    ``format_money(fen)`` is ``format_fen(fen, symbol=True)``; other units are written
    as ``1,234 PLN``. Kept for one release; it warns with a :class:`DeprecationWarning`.
    """
    warnings.warn(
        "vchuang.selection.format_money is deprecated and will be removed in the next "
        "release; use vchuang.kernel.format_fen(fen, symbol=True)",
        DeprecationWarning,
        stacklevel=2,
    )
    return _format_amount(amount, unit)


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _ints(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _whole(value: object, low: int = 0) -> bool:
    """A whole number (numpy integers too, bools refused) >= ``low``."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool) and int(value) >= low


@attrs.frozen(kw_only=True)
class Ballot:
    """One voter's ballot.

    ``items`` are proposal IDs (best first for a ranking); ``points`` gives one whole
    number per item for cumulative (points) and scoring ballots, and is empty for
    approval and ranking ballots.

    Examples
    --------
    >>> Ballot(voter="r1", items=["i1", "i3"])
    Ballot(voter='r1', items=('i1', 'i3'), points=())
    """

    voter: str
    items: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    points: tuple[int, ...] = attrs.field(default=(), converter=_ints)


def _segment_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of ``values[indptr[j]:indptr[j + 1]]`` for each ``j`` (whole numbers, exact)."""
    totals = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    return totals[indptr[1:]] - totals[indptr[:-1]]  # type: ignore[no-any-return]


def _only(ballot: Ballot, keep: set[str]) -> Ballot:
    """The ballot with only the items in ``keep`` (and their points)."""
    if all(x in keep for x in ballot.items):
        return ballot
    pairs = [
        (x, ballot.points[i] if ballot.points else None)
        for i, x in enumerate(ballot.items)
        if x in keep
    ]
    return Ballot(
        voter=ballot.voter,
        items=[x for x, _ in pairs],
        points=[p for _, p in pairs if p is not None],
    )


def _check_ballots(
    ballots: Sequence[Ballot], kind: str, known: Mapping[str, int], where: str = "ballots"
) -> list[Problem]:
    problems: list[Problem] = []
    if kind not in VOTE_KINDS:
        return [
            Problem(
                "vote_type", f"unknown ballot kind {kind!r}", f"use one of {', '.join(VOTE_KINDS)}"
            )
        ]
    voters: set[str] = set()
    for i, ballot in enumerate(ballots):
        here = f"{where}[{i}]"
        if not isinstance(ballot, Ballot):
            problems.append(Problem(here, f"must be a Ballot, got {type(ballot).__name__}"))  # type: ignore[unreachable]
            continue
        if ballot.voter in voters:
            problems.append(
                Problem(here, f"voter {ballot.voter!r} votes twice", "give each voter one ballot")
            )
        voters.add(ballot.voter)
        if len(set(ballot.items)) != len(ballot.items):
            problems.append(Problem(here, "names a proposal twice"))
        unknown = [x for x in ballot.items if x not in known]
        if unknown:
            problems.append(
                Problem(
                    here,
                    f"votes for {unknown[0]!r}, which is not on the ballot",
                    "vote only for the election's proposals",
                )
            )
        if kind in ("cumulative", "scoring"):
            if len(ballot.points) != len(ballot.items):
                problems.append(Problem(here, "needs one point value per item"))
            elif not all(_whole(p, 1) for p in ballot.points):
                problems.append(
                    Problem(
                        here,
                        "points must be whole numbers >= 1",
                        "leave out the items a voter gives no points",
                    )
                )
        elif ballot.points:
            problems.append(Problem(here, f"{kind} ballots carry no points"))
    return problems


def _finite(value: object) -> bool:
    return (
        isinstance(value, int | float | np.number)
        and not isinstance(value, bool)
        and bool(np.isfinite(float(value)))
    )


def _ballots(value: Iterable[Ballot]) -> tuple[Ballot, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True, eq=False)
class Election:
    """Proposals (projects) with whole-number costs, a budget, and residents' ballots.

    Parameters
    ----------
    projects
        Proposal IDs; ties are broken in their sorted order (``sorted(projects)``).
    costs
        One whole-number cost per proposal (fen for calls in the graph).
    budget
        The money to share out, in the same unit.
    ballots
        Residents' :class:`Ballot` records of kind ``vote_type``.
    vote_type
        ``"approval"``, ``"cumulative"`` (points), ``"scoring"`` or ``"ordinal"``
        (rankings).
    names
        Display names of the proposals (default: the IDs).
    scores
        An optional score per proposal (a panel's or a combined score, see
        :func:`vchuang.selection.score`) used by ``top_k``, ``greedy`` and ``knapsack``.
    groups
        Attributes for quotas: ``{proposal: {"theme": ("traffic_safety",), …}}``.
    unit
        The money unit: ``"fen"`` (shown as yuan) or a currency code.
    call
        The call's ID when the election comes from the graph.

    Raises
    ------
    ValidationError
        Lengths differ, an ID is given twice, a cost is not a whole number >= 0, a
        ballot names an unknown proposal …

    Examples
    --------
    >>> e = Election(projects=["a", "b", "c"], costs=[50, 30, 30], budget=60,
    ...              ballots=[Ballot(voter="1", items=["a"]),
    ...                       Ballot(voter="2", items=["b", "c"])])
    >>> e.support()
    {'a': 1, 'b': 1, 'c': 1}
    >>> e.cost("b"), e.n_voters
    (30, 2)
    """

    projects: tuple[str, ...] = attrs.field(converter=_strs)
    costs: tuple[int, ...] = attrs.field(converter=_ints)
    budget: int
    ballots: tuple[Ballot, ...] = attrs.field(default=(), converter=_ballots)
    vote_type: str = "approval"
    names: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    scores: Mapping[str, float] | None = None
    groups: Mapping[str, Mapping[str, tuple[str, ...]]] = attrs.field(factory=dict)
    unit: str = "fen"
    call: str | None = None
    _index: dict[str, int] = attrs.field(init=False, repr=False)
    _csr: dict[str, Any] = attrs.field(init=False, repr=False)

    def __repr__(self) -> str:
        return (
            f"Election(call={self.call!r}, projects={len(self.projects)} "
            f"{preview(self.projects)}, voters={len(self.ballots)}, "
            f"vote_type={self.vote_type!r}, budget={_format_amount(self.budget, self.unit)!r}, "
            f"scores={self.scores is not None})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (p, self.name(p), _format_amount(c, self.unit))
            for p, c in zip(self.projects[:SHOWN], self.costs, strict=False)
        ]
        caption = (
            f"Election: {len(self.projects)} proposals, {len(self.ballots)} {self.vote_type} "
            f"ballots, budget {_format_amount(self.budget, self.unit)}"
        )
        return html_table(caption, ("proposal", "name", "cost"), rows)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if len(self.costs) != len(self.projects):
            problems.append(
                Problem(
                    "costs",
                    f"{len(self.costs)} costs for {len(self.projects)} proposals",
                    "give one per proposal",
                )
            )
        index: dict[str, int] = {}
        for i, p in enumerate(self.projects):
            if not p or p != p.strip():
                problems.append(Problem(f"projects[{i}]", f"bad ID {p!r}"))
            elif p in index:
                problems.append(Problem(f"projects[{i}]", f"ID {p!r} given twice"))
            index[p] = i
        for i, c in enumerate(self.costs):
            if not _whole(c):
                problems.append(
                    Problem(
                        f"costs[{i}]",
                        f"must be a whole number >= 0, got {c!r}",
                        "money is whole units (fen), never a float",
                    )
                )
        b = self.budget
        if not _whole(b):
            problems.append(Problem("budget", f"must be a whole number >= 0, got {b!r}"))
        if self.names and len(self.names) != len(self.projects):
            problems.append(Problem("names", "give one name per proposal, or none"))
        if self.scores is not None:
            missing = [p for p in self.projects if p not in self.scores]
            extra = [p for p in self.scores if p not in index]
            if missing:
                problems.append(
                    Problem("scores", f"no score for {missing[0]!r}", "give every proposal a score")
                )
            if extra:
                problems.append(Problem("scores", f"a score for unknown proposal {extra[0]!r}"))
            bad = [p for p, s in self.scores.items() if not _finite(s)]
            if bad:
                problems.append(Problem("scores", f"score of {bad[0]!r} is not a finite number"))
        for p in self.groups:
            if p not in index:
                problems.append(Problem("groups", f"groups for unknown proposal {p!r}"))
        problems += _check_ballots(self.ballots, self.vote_type, index)
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "costs", tuple(int(c) for c in self.costs))
        object.__setattr__(self, "budget", int(self.budget))
        if self.scores is not None:
            object.__setattr__(self, "scores", {p: float(self.scores[p]) for p in self.projects})
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_csr", {})

    # ------------------------------------------------------------------ access

    @property
    def n_voters(self) -> int:
        """Number of ballots (empty ballots count: they hold a share of the budget in
        the Method of Equal Shares)."""
        return len(self.ballots)

    def position(self, project: str) -> int:
        """The position of a proposal in ``projects``."""
        try:
            return self._index[project]
        except KeyError:
            raise ValidationError(
                [Problem("project", f"{project!r} is not in the election")]
            ) from None

    def cost(self, project: str) -> int:
        """A proposal's cost."""
        return self.costs[self.position(project)]

    def name(self, project: str) -> str:
        """A proposal's display name (its ID when none is given)."""
        return self.names[self.position(project)] if self.names else project

    def group(self, project: str, key: str) -> tuple[str, ...]:
        """The values of attribute ``key`` (``"theme"``, ``"community"`` …) of a proposal."""
        return tuple(self.groups.get(project, {}).get(key, ()))

    def _matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ballots as a project-major sparse matrix: (indptr, voter rows, values), where
        the value is 1 for approval, the points for cumulative and scoring ballots, and
        the Borda points for rankings (see :meth:`support`)."""
        cached = self._csr.get("m")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        m = len(self.projects)
        cols: list[int] = []
        rows: list[int] = []
        vals: list[int] = []
        index = self._index
        for v, ballot in enumerate(self.ballots):
            n_items = len(ballot.items)
            for r, item in enumerate(ballot.items):
                cols.append(index[item])
                rows.append(v)
                if self.vote_type in ("cumulative", "scoring"):
                    vals.append(int(ballot.points[r]))
                elif self.vote_type == "ordinal":
                    vals.append(n_items - r)
                else:
                    vals.append(1)
        col = np.asarray(cols, dtype=np.int64)
        order = np.argsort(col, kind="stable")
        indptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(col, minlength=m), out=indptr[1:])
        out = (
            indptr,
            np.asarray(rows, dtype=np.int64)[order],
            np.asarray(vals, dtype=np.int64)[order],
        )
        self._csr["m"] = out
        return out

    def support(self) -> dict[str, int]:
        """Votes each proposal got: approvals (approval ballots), total points
        (cumulative and scoring ballots) or truncated Borda points (rankings: on a list
        of L items the first gets L points, the last 1, unlisted ones 0)."""
        indptr, _, vals = self._matrix()
        sums = _segment_sums(vals, indptr)
        return {p: int(sums[j]) for j, p in enumerate(self.projects)}

    def supporters(self) -> dict[str, int]:
        """Number of voters who list each proposal on their ballot."""
        indptr, _, _ = self._matrix()
        return {p: int(indptr[j + 1] - indptr[j]) for j, p in enumerate(self.projects)}

    # ------------------------------------------------------------------ building

    @classmethod
    def from_matrix(
        cls,
        matrix: Any,
        *,
        costs: Sequence[int],
        budget: int,
        projects: Sequence[str] | None = None,
        voters: Sequence[str] | None = None,
        vote_type: str = "approval",
        unit: str = "fen",
    ) -> Election:
        """An election from a voters × projects matrix (dense or scipy sparse).

        Nonzero entries are approvals (``vote_type="approval"``) or points
        (``"cumulative"``, ``"scoring"``). IDs default to ``"p0", "p1", …`` and
        ``"v0", "v1", …``.

        Examples
        --------
        >>> e = Election.from_matrix([[1, 0], [1, 1]], costs=[10, 20], budget=25)
        >>> e.support()
        {'p0': 2, 'p1': 1}
        """
        import scipy.sparse as sp

        if vote_type not in ("approval", "cumulative", "scoring"):
            raise ValidationError(
                [
                    Problem(
                        "vote_type",
                        f"a matrix cannot hold {vote_type!r} ballots",
                        "use approval, cumulative or scoring",
                    )
                ]
            )
        mat = sp.csr_array(matrix)
        mat.eliminate_zeros()
        n, m = mat.shape
        projects = list(projects) if projects is not None else [f"p{j}" for j in range(m)]
        voters = list(voters) if voters is not None else [f"v{i}" for i in range(n)]
        mat.sort_indices()
        indptr, indices, data = mat.indptr, mat.indices, mat.data
        ballots = []
        for i in range(n):
            lo, hi = indptr[i], indptr[i + 1]
            items = [projects[j] for j in indices[lo:hi]]
            points = [int(x) for x in data[lo:hi]] if vote_type != "approval" else []
            ballots.append(Ballot(voter=voters[i], items=items, points=points))
        out = cls(
            projects=projects,
            costs=[int(c) for c in costs],
            budget=int(budget),
            ballots=ballots,
            vote_type=vote_type,
            unit=unit,
        )
        csc = sp.csc_array(mat)  # the project-major arrays, straight from the matrix
        csc.sort_indices()
        values = (
            np.ones(csc.nnz, dtype=np.int64)
            if vote_type == "approval"
            else csc.data.astype(np.int64)
        )
        out._csr["m"] = (csc.indptr.astype(np.int64), csc.indices.astype(np.int64), values)
        return out

    @classmethod
    def from_pabulib(cls, pb: PabulibFile, *, unit: str | None = None) -> Election:
        """An election from a Pabulib file (see :mod:`vchuang.io.pabulib`).

        Names come from the ``name`` column; the ``category`` and ``target`` columns
        (comma-separated) become quota groups of those names. The money unit is the
        ``currency`` meta value unless ``unit`` is given.

        Raises
        ------
        FormatError
            The budget is not a whole number.

        Examples
        --------
        >>> from vchuang.io import pabulib
        >>> pb = pabulib.loads("META\\nkey;value\\nbudget;10\\nvote_type;approval\\n"
        ...                    "currency;PLN\\nPROJECTS\\nproject_id;cost;name\\n1;6;Benches\\n"
        ...                    "VOTES\\nvoter_id;vote\\nv1;1\\n")
        >>> e = Election.from_pabulib(pb)
        >>> e.name("1"), e.unit, e.support()
        ('Benches', 'PLN', {'1': 1})
        """
        vote_type = pb.vote_type
        projects = [p.project_id for p in pb.projects]
        names = [p.get("name") or p.project_id for p in pb.projects]
        groups: dict[str, dict[str, tuple[str, ...]]] = {}
        for p in pb.projects:
            attrs_: dict[str, tuple[str, ...]] = {}
            for column in ("category", "target"):
                text = p.get(column)
                if text and text.strip().lower() != "none":
                    attrs_[column] = tuple(x.strip() for x in text.split(",") if x.strip())
            if attrs_:
                groups[p.project_id] = attrs_
        ballots = [
            Ballot(
                voter=v.voter_id,
                items=v.vote,
                points=v.points if v.points is not None and vote_type != "ordinal" else (),
            )
            for v in pb.votes
        ]
        try:
            return cls(
                projects=projects,
                costs=[p.cost for p in pb.projects],
                budget=pb.budget,
                ballots=ballots,
                vote_type=vote_type,
                names=names,
                groups=groups,
                unit=unit or pb.get("currency") or "units",
            )
        except ValidationError as exc:
            raise FormatError(exc.problems) from None

    def to_pabulib(
        self,
        *,
        meta: Mapping[str, str] | None = None,
        key: bytes | str | None = None,
        reveal: Reveal | str = "nothing",
        graph: CommunityGraph | None = None,
    ) -> PabulibFile:
        """The election as a Pabulib file, voters under pseudonyms.

        ``META`` holds ``description``, ``country``, ``unit``, ``instance``,
        ``num_projects``, ``num_votes``, ``budget`` and ``vote_type`` (from ``meta``
        where given, placeholders otherwise), ``rule`` only when ``meta`` names one,
        ``currency`` (see :func:`vchuang.io.pabulib.currency_meta`), then any other
        ``meta`` keys. Projects carry ``project_id;cost;votes;name`` (``votes``: the
        ballots naming it; cumulative and scoring elections add ``score``, the points
        it got, as Pabulib's checker wants) and ``category`` / ``target`` where the
        election has those groups; votes carry ``voter_id;vote`` (and ``points``). Voter IDs are keyed hashes unless ``reveal`` asks for real
        ones, which needs ``graph`` and never shows a minor's ID
        (:func:`vchuang.io.pabulib.voter_ids`).
        """
        given = dict(meta or {})
        rows = {
            "description": given.pop("description", f"vchuang election {self.call or ''}".strip()),
            "country": given.pop("country", "China"),
            "unit": given.pop("unit", self.call or "community"),
            "instance": given.pop("instance", "1"),
            "num_projects": str(len(self.projects)),
            "num_votes": str(len(self.ballots)),
            "budget": str(self.budget),
            "vote_type": self.vote_type,
        }
        if given.get("rule"):
            rows["rule"] = given.pop("rule")
        given.pop("rule", None)
        for key_ in ("num_projects", "num_votes", "budget", "vote_type"):
            given.pop(key_, None)
        rows.update({k: v for k, v in currency_meta(self.unit).items() if k not in given})
        rows.update(given)
        ids = voter_ids([b.voter for b in self.ballots], key=key, reveal=reveal, graph=graph)
        extra = [c for c in ("category", "target") if any(c in g for g in self.groups.values())]
        with_points = self.vote_type in ("cumulative", "scoring")
        # Pabulib's checker wants a votes (or score) column equal to the VOTES section's
        # counts: ballots naming the project, and for points ballots their points too
        counts = dict.fromkeys(self.projects, 0)
        points = dict.fromkeys(self.projects, 0)
        for b in self.ballots:
            for i, item in enumerate(b.items):
                counts[item] += 1
                points[item] += b.points[i] if with_points and b.points else 0
        tally = [("votes", counts), *([("score", points)] if with_points else [])]
        pcols = ["project_id", "cost", *(c for c, _ in tally), "name", *extra]
        projects = [
            PabulibProject(
                project_id=p,
                cost=c,
                fields=[
                    *((col, str(n[p])) for col, n in tally),
                    ("name", self.name(p)),
                    *((col, ",".join(self.group(p, col)) or "None") for col in extra),
                ],
            )
            for p, c in zip(self.projects, self.costs, strict=True)
        ]
        vcols = ["voter_id", "vote", *(["points"] if with_points else [])]
        votes = [
            PabulibVote(voter_id=v, vote=b.items, points=b.points if with_points else None)
            for v, b in zip(ids, self.ballots, strict=True)
        ]
        return PabulibFile(
            meta=rows, project_columns=pcols, projects=projects, vote_columns=vcols, votes=votes
        )

    @classmethod
    def from_call(
        cls,
        graph: CommunityGraph,
        call: str,
        *,
        scores: Scores | Mapping[str, float] | None = None,
        votes: Votes | None = None,
        proposals: Iterable[str] | None = None,
        budget: int | None = None,
    ) -> Election:
        """The election of a call for golden ideas in the graph.

        Parameters
        ----------
        graph
            The community graph holding the call and its proposals.
        call
            The call's ID.
        scores
            A :class:`~vchuang.selection.Scores` result (its ``combined`` score is used)
            or a mapping proposal → score.
        votes
            Residents' :class:`~vchuang.selection.Votes`; voters must be residents.
        proposals
            The proposals on the ballot (default: every proposal of the call, in graph
            order) — pass the eligible ones; votes for proposals left off are dropped.
        budget
            Overrides the call's ``budget_fen``.

        Returns
        -------
        Election
            In fen; quota groups ``theme``, ``community`` (the proposers') and
            ``segment`` (the target segments).

        Raises
        ------
        ValidationError
            A voter is not a resident, a ballot names a proposal not on the ballot, a
            proposal has no score …

        Examples
        --------
        >>> from vchuang.datasets import longgang_pilot
        >>> g = longgang_pilot()
        >>> call = g.calls("heao")[0].id
        >>> e = Election.from_call(g, call)
        >>> len(e.projects), e.budget, e.group("ha-i01", "theme")
        (12, 1500000, ('traffic_safety',))
        """
        from ..model import Call, Proposal, Resident

        record = graph.get(call, Call)
        on_ballot = [p.id for p in graph.proposals(call)] if proposals is None else list(proposals)
        records = [graph.get(p, Proposal) for p in on_ballot]
        wrong = [p.id for p in records if p.call != call]
        if wrong:
            raise ValidationError(
                [Problem("proposals", f"{wrong[0]!r} was not submitted to {call!r}")]
            )
        groups: dict[str, dict[str, tuple[str, ...]]] = {}
        for p in records:
            communities: list[str] = []
            for rid in p.proposers:
                com = graph.get(rid, Resident).community
                if com not in communities:
                    communities.append(com)
            groups[p.id] = {
                "theme": p.themes,
                "community": tuple(communities),
                "segment": p.target_segments,
            }
        score_map: dict[str, float] | None = None
        if scores is not None:
            source: Mapping[str, float] = (
                scores.combined() if hasattr(scores, "combined") else scores
            )
            score_map = {p: float(source[p]) for p in on_ballot if p in source}
        ballots: tuple[Ballot, ...] = ()
        kind = "approval"
        if votes is not None:
            kind = votes.kind
            ballots = votes.ballots
            problems = []
            on = set(on_ballot)
            if proposals is not None:  # votes for proposals left off the ballot are dropped
                ballots = tuple(_only(b, on) for b in ballots)
            for i, ballot in enumerate(ballots):
                if ballot.voter not in graph or graph.kind_of(ballot.voter) != "resident":
                    problems.append(
                        Problem(
                            f"votes.ballots[{i}].voter",
                            f"{ballot.voter!r} is not a resident of the graph",
                        )
                    )
            if problems:
                raise ValidationError(problems)
        return cls(
            projects=on_ballot,
            costs=[p.cost_fen for p in records],
            budget=record.budget_fen if budget is None else budget,
            ballots=ballots,
            vote_type=kind,
            names=[p.name for p in records],
            scores=score_map,
            groups=groups,
            unit="fen",
            call=call,
        )
