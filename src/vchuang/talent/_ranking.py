"""Ranking residents as community talents (:func:`rank_talents`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .. import _rng
from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.checks import check_choice, check_number, check_whole, collect, suggest
from ..model import Activity, Relation, Resident
from ._centrality import _check_backend, _position
from ._common import (
    _CLOSED,
    _FEATURE_NAMES,
    _STAFF,
    _TIE_DIGITS,
    _TIES,
    DEFAULT_WEIGHTS,
    FEATURES,
    RECENCY_HALF_LIFE_DAYS,
    FloatArray,
    IntArray,
    _fail,
)
from ._network import _network, _scope
from ._reasons import _name, _reason_context, _reasons
from ._results import TalentRanking, _place_alias


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    out = dict(DEFAULT_WEIGHTS)
    if weights is None:
        return out
    if not isinstance(weights, Mapping):
        _fail("weights", f"must be a mapping of feature or group to weight, got {weights!r}")
    problems: list[Problem] = []
    names = [*FEATURES, *_FEATURE_NAMES]
    for key, value in weights.items():
        path = f"weights[{key!r}]"
        if key not in names:
            near = suggest(str(key), names)
            hint = f"did you mean {near!r}?" if near else f"use one of {', '.join(names)}"
            problems.append(Problem(path, f"unknown feature or group {key!r}", hint))
            continue
        collect(problems, check_number, value, path, minimum=0)
    if problems:
        raise ValidationError(problems)
    for key, value in weights.items():  # groups first: a feature named too overrides
        if key in FEATURES:
            members = FEATURES[key]
            base = sum(DEFAULT_WEIGHTS[f] for f in members)
            for f in members:
                out[f] = float(value) * DEFAULT_WEIGHTS[f] / base
    for key, value in weights.items():
        if key in DEFAULT_WEIGHTS:
            out[key] = float(value)
    total = sum(out.values())
    if total <= 0:
        _fail("weights", "all weights are zero", "give at least one feature a weight > 0")
    return {f: out[f] / total for f in _FEATURE_NAMES}


def _row_counts(matrix: Any) -> FloatArray:
    m = matrix.tocsr()
    m.sum_duplicates()
    return np.asarray(np.diff(m.indptr), dtype=np.float64)


def _row_sums(matrix: Any) -> FloatArray:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


def _needs(
    graph: CommunityGraph, ranked: Sequence[Resident], lang: str
) -> tuple[Any, tuple[str, ...]]:
    """Residents × open needs of their community they could fill: the need's skill or a
    more specific one (a descendant in the taxonomy), at the need's level or above."""
    import scipy.sparse as sp

    tax = graph.taxonomy
    comm_of = {c.id: i for i, c in enumerate(graph.communities())}
    comm = np.array([comm_of[r.community] for r in ranked], dtype=np.int64)
    skill_col = {s.id: j for j, s in enumerate(tax.skills)}
    s_rows: list[int] = []
    s_cols: list[int] = []
    s_vals: list[int] = []
    for i, r in enumerate(ranked):
        for item in r.skills:
            s_rows.append(i)
            s_cols.append(skill_col[item.skill])
            s_vals.append(int(item.level))
    levels = sp.csr_array(
        (np.asarray(s_vals, dtype=np.float64), (s_rows, s_cols)),
        shape=(len(ranked), len(tax.skills)),
    )
    wanted_comms = {r.community for r in ranked}
    needs: list[tuple[int, str, int, str]] = []  # community, skill, level, label
    for project in graph.projects():
        if project.stage in _CLOSED or project.community not in wanted_comms:
            continue
        for need in project.needs:
            if need.skill is None:
                continue
            label = (
                f"{tax.label(need.skill, lang)}（{_name(project, lang)}）"
                if lang == "zh"
                else f"{tax.label(need.skill, lang)} ({_name(project, lang)})"
            )
            needs.append((comm_of[project.community], need.skill, int(need.min_level), label))
    f_rows: list[IntArray] = []
    f_cols: list[IntArray] = []
    cache: dict[tuple[str, int], npt.NDArray[np.bool_]] = {}
    for j, (c, skill, level, _) in enumerate(needs):
        key = (skill, level)
        if key not in cache:
            cols = [skill_col[skill], *(skill_col[d] for d in tax.descendants(skill))]
            sub = levels[:, cols]
            ok = np.zeros(len(ranked), dtype=bool)
            hit = sub.tocoo()
            good = hit.data >= level
            ok[hit.row[good]] = True
            cache[key] = ok
        who = np.flatnonzero(cache[key] & (comm == c))
        f_rows.append(who.astype(np.int64))
        f_cols.append(np.full(len(who), j, dtype=np.int64))
    if needs:
        rr = np.concatenate(f_rows)
        cc = np.concatenate(f_cols)
    else:
        rr = cc = np.zeros(0, dtype=np.int64)
    fill = sp.csr_array((np.ones(len(rr)), (rr, cc)), shape=(len(ranked), len(needs)))
    return fill, tuple(n[3] for n in needs)


def _normalise(values: FloatArray, comm: IntArray) -> FloatArray:
    """Each column divided by its largest value within each community (0 if none)."""
    n_comm = int(comm.max()) + 1 if len(comm) else 0
    out = np.zeros_like(values)
    for j in range(values.shape[1]):
        col = np.nan_to_num(values[:, j], nan=0.0)
        best = np.zeros(n_comm)
        np.maximum.at(best, comm, col)
        denom = best[comm]
        out[:, j] = np.divide(col, denom, out=np.zeros_like(col), where=denom > 0)
    return np.clip(out, 0.0, 1.0)


def rank_talents(
    graph: CommunityGraph,
    *,
    place: str | None = None,
    weights: Mapping[str, float] | None = None,
    ties: str = "work",
    as_of: dt.date | None = None,
    pivots: int | None = None,
    include_staff: bool = False,
    explain: int | None = None,
    lang: str = "en",
    backend: str | None = None,
    rng: _rng.RNGLike = None,
    community: str | None = None,
) -> TalentRanking:
    """Rank residents as community talents (能人), with each score's parts and reasons.

    Every resident of the scope gets eleven features in four groups; each feature is
    divided by its largest value in the resident's community, and the score is the
    weighted sum. The ranking lists the best first; ties (scores equal to 12 decimals)
    are broken by resident ID.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    place : str, optional
        A community, subdistrict or district ID: rank the residents there (the network
        is the one among them). ``None`` ranks every resident. ``community=`` is its
        deprecated old name (it warns).
    weights : mapping, optional
        Weights by feature (``"degree"``, ``"leads"`` …) or by group (``"network"``,
        ``"engagement"``, ``"skills"``, ``"availability"``; the group's default split is
        kept). Missing keys keep their defaults (:data:`DEFAULT_WEIGHTS`); the result is
        rescaled to sum to 1.
    ties : {"work", "knows", "all"}
        Which ties make the resident network (:func:`vchuang.csr.resident_adjacency`).
        ``"knows"``: ``knows`` links only (as
        :meth:`~vchuang.graph.CommunityGraph.social_graph`). ``"work"`` (default): those
        plus co-participation without attending (sharing a group's members or leaders,
        an organisation's, a project, or organising the same activity). ``"all"``: also
        attending the same activity (the rule of
        :meth:`~vchuang.graph.CommunityGraph.coparticipation`). A context with more
        than :data:`MAX_CONTEXT_SIZE` people makes no ties.
    as_of : datetime.date, optional
        The day recency is measured from; defaults to the graph's ``metadata.as_of``,
        else the date of the latest activity.
    pivots : int, optional
        Sources sampled for betweenness when the network has more than
        :data:`BETWEENNESS_EXACT_LIMIT` residents (default :data:`DEFAULT_PIVOTS`).
        Smaller networks get exact betweenness and ignore it.
    include_staff : bool
        Rank social workers and staff too (they are always part of the network).
    explain : int, optional
        Give reasons to the best ``explain`` residents only (``None``: everyone).
    lang : {"en", "zh"}
        Language of the reasons.
    backend : str, optional
        A networkx backend (``"parallel"``, ``"cugraph"``, ``"networkx"`` …) for the
        network measures it implements; see Notes.
    rng : None, int or numpy.random.Generator
        Seeds the betweenness pivots (only used above the exact limit).

    Returns
    -------
    TalentRanking
        Residents best first, with scores, raw and normalised features and reasons.

    Raises
    ------
    ValidationError
        An unknown weight, tie kind or language, a negative weight, a backend that is
        not installed.
    UnknownEntityError
        ``place`` is not in the graph.

    See Also
    --------
    key_players : the ``k`` residents who together reach the most, chosen as a set.
    vchuang.talent.TalentRanking.plot : the ranking as stacked bars.

    Notes
    -----
    **Features** (raw values; each is then divided by the community's maximum, so a 1
    means "the best in the community on this"):

    * network position, on the resident network chosen by ``ties`` (all residents of
      the scope are nodes): ``degree``, the number of distinct contacts; ``betweenness``,
      the share of shortest paths between other residents that pass through the
      resident (Freeman; Brandes' algorithm, hop counts, normalised by
      :math:`(n-1)(n-2)` as networkx does) — exact up to
      :data:`BETWEENNESS_EXACT_LIMIT` residents, else estimated from ``pivots``
      sampled sources with networkx's estimator (Brandes & Pich 2007); ``pagerank``
      (Page et al. 1999; damping 0.85, tie strength as weight), chosen over eigenvector
      centrality because it is defined on disconnected networks; ``brokerage``,
      :math:`1 - c_i` where :math:`c_i = \\sum_j (p_{ij} + \\sum_q p_{iq} p_{qj})^2` is
      Burt's (1992) constraint with :math:`p_{ij}` the share of i's tie strength spent
      on j (0 for isolated residents, clipped at 0);
    * engagement: ``activities``, distinct activities attended or organised; ``hours``,
      weekly hours pledged in ``volunteers_in`` links; ``leads``, projects, groups and
      organisations led (1 each) plus projects co-led (½ each); ``recency``,
      :math:`2^{-\\Delta/h}` with :math:`\\Delta` the days from the last activity to
      ``as_of`` and :math:`h` = :data:`RECENCY_HALF_LIFE_DAYS` (0 if never);
    * skills: ``skills``, the number of skills listed; ``needs``, the open needs (of
      projects in the resident's community that are not completed or dropped) the
      resident could fill: their skill is the need's skill or a descendant of it in the
      taxonomy, at the need's ``min_level`` or above;
    * ``availability``: ``hours_per_week``.

    **Weights.** The defaults (:data:`DEFAULT_WEIGHTS`) give engagement 0.40, network
    position 0.30, skills 0.20 and availability 0.10: what a resident already does is
    the best evidence that coaching will pay off (the case's talents were volunteers who
    became organisers); position tells how far their work can spread and whether they
    bridge groups; skills and open needs tell whether the community needs what they
    can do; availability is self-reported and counts least.

    **Engines.** Degree and engagement counts come from the sparse index. Without a
    backend, betweenness, PageRank and constraint are computed on the sparse adjacency
    with networkx's definitions (the tests check them against networkx); the
    betweenness pivots are the ones networkx draws for the same seed. With
    ``backend="parallel"`` (say), each of :func:`networkx.betweenness_centrality`,
    :func:`networkx.pagerank` and :func:`networkx.constraint` that the backend
    implements is called with ``backend=``; the others use the sparse path. With
    ``backend=None`` and ``nx.config.backend_priority`` set, the networkx functions are
    called without ``backend=`` so that your priority decides.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal
       of Mathematical Sociology, 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       International Journal of Bifurcation and Chaos, 17(7), 2303-2318.
       https://doi.org/10.1142/S0218127407018403
    .. [3] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press.
    .. [4] Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). The PageRank citation
       ranking: Bringing order to the web. Stanford InfoLab.

    Examples
    --------
    >>> import vchuang
    >>> ranking = vchuang.talent.rank_talents(vchuang.load_example())
    >>> [t.resident for t in ranking.top(3)]
    ['pn-r01', 'pn-r03', 'pn-r04']
    >>> {g: round(v, 2) for g, v in ranking["pn-r03"].groups.items()}
    {'network': 0.23, 'engagement': 0.21, 'skills': 0.16, 'availability': 0.08}
    >>> rank_talents(vchuang.load_example(), weights={"network": 1, "engagement": 0,
    ...              "skills": 0, "availability": 0})[0].resident
    'pn-r01'
    """
    place = _place_alias(place, community, "rank_talents")
    if not isinstance(graph, CommunityGraph):
        _fail("graph", f"must be a CommunityGraph, got {type(graph).__name__}")
    ties = check_choice(ties, _TIES, "ties")
    lang = check_choice(lang, ("en", "zh"), "lang")
    w = _weights(weights)
    backend = _check_backend(backend)
    if pivots is not None:
        pivots = check_whole(pivots, "pivots", minimum=2)
    if explain is not None:
        explain = check_whole(explain, "explain", minimum=0)
    if as_of is not None and not isinstance(as_of, dt.date):
        _fail("as_of", f"must be a datetime.date, got {as_of!r}")
    generator = _rng.as_generator(rng)

    scope = _scope(graph, place)
    ids = [r.id for r in scope]
    net = _network(graph, ids, ties)
    n = len(ids)
    ranked_mask = np.array(
        [include_staff or not any(role in r.roles for role in _STAFF) for r in scope],
        dtype=bool,
    )
    ranked_at = np.flatnonzero(ranked_mask)
    ranked = [scope[i] for i in ranked_at]

    # -- network position (on the whole scope network)
    position, betweenness_kind, used_pivots = _position(net, pivots, backend, generator)

    # -- engagement, skills, availability (ranked residents)
    index = graph.index
    rows = net.rows[ranked_at]

    def inc(rel: Relation, kind: str, weight: str | None = None) -> Any:
        return index.incidence(rel, kind, weight=weight)[rows]

    import scipy.sparse as sp

    lead = sp.hstack(
        [inc(Relation.LEADS, kind) for kind in ("project", "group", "organization")],
        format="csr",
    )
    colead = inc(Relation.CO_LEADS, "project")
    volunteer = inc(Relation.VOLUNTEERS_IN, "project", "hours")
    activity = (inc(Relation.ATTENDED, "activity") + inc(Relation.ORGANISED, "activity")).tocsr()
    activity.sum_duplicates()
    dates = np.array(
        [a.date.toordinal() for a in cast(list[Activity], graph.entities("activity"))],
        dtype=np.float64,
    )
    last = np.zeros(len(ranked))
    if activity.nnz:
        per = dates[activity.indices]
        has = np.diff(activity.indptr) > 0
        starts = activity.indptr[:-1][has]
        last[has] = np.maximum.reduceat(per, starts)
    if as_of is None:
        as_of = graph.metadata.as_of
        if as_of is None and len(dates):
            as_of = dt.date.fromordinal(int(dates.max()))
    recency = np.zeros(len(ranked))
    if as_of is not None:
        days = np.maximum(as_of.toordinal() - last, 0.0)
        recency = np.where(last > 0, 0.5 ** (days / RECENCY_HALF_LIFE_DAYS), 0.0)
    fill, need_labels = _needs(graph, ranked, lang)
    values = (
        np.column_stack(
            [
                position[ranked_at] if n else np.zeros((0, 4)),
                _row_counts(activity),
                _row_sums(volunteer),
                _row_counts(lead) + 0.5 * _row_counts(colead),
                recency,
                np.array([len(r.skills) for r in ranked], dtype=np.float64),
                _row_sums(fill),
                np.array([r.hours_per_week for r in ranked], dtype=np.float64),
            ]
        )
        if ranked
        else np.zeros((0, len(_FEATURE_NAMES)))
    )

    comm_pos = {c.id: i for i, c in enumerate(graph.communities())}
    comm = np.array([comm_pos[r.community] for r in ranked], dtype=np.int64)
    normalised = _normalise(values, comm)
    wv = np.array([w[f] for f in _FEATURE_NAMES])
    scores = np.clip(normalised @ wv, 0.0, 1.0)
    rid = np.array([r.id for r in ranked], dtype=object)
    order = (
        np.lexsort((rid.astype(str), -np.round(scores, _TIE_DIGITS)))
        if ranked
        else np.zeros(0, dtype=np.int64)
    )
    community_ranks = np.zeros(len(ranked), dtype=np.int64)
    counters: dict[int, int] = {}
    for pos_, i in enumerate(order):
        c = int(comm[i])
        counters[c] = counters.get(c, 0) + 1
        community_ranks[pos_] = counters[c]

    ctx = _reason_context(
        graph, net, ranked_at, lead, colead, volunteer, activity, last, fill, need_labels, lang
    )
    limit = len(order) if explain is None else min(explain, len(order))
    reasons = tuple(
        _reasons(ctx, int(i), values[i], normalised[i], wv) if k < limit else ()
        for k, i in enumerate(order)
    )
    return TalentRanking(
        residents=tuple(ranked[i].id for i in order),
        communities=tuple(ranked[i].community for i in order),
        scores=scores[order],
        values=values[order],
        normalised=normalised[order],
        community_ranks=community_ranks,
        reasons=reasons,
        weights=w,
        ties=ties,
        betweenness=betweenness_kind,
        pivots=used_pivots,
        as_of=as_of,
        backend=backend,
        network_size=(n, int(net.binary.nnz // 2)),
    )
